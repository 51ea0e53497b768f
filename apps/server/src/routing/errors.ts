/**
 * A refusal the API turns into its error shape: `field` (e.g. `body.agent`) names the input at fault,
 * so a 400 says which field to fix.
 */
export class RoutingError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) =>
  new RoutingError(404, 'not_found', `no ${what} "${id}"`);

export const badField = (field: string, message: string) =>
  new RoutingError(400, 'invalid_request', message, field);
