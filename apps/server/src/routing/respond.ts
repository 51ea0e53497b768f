import type { Response } from 'express';
import { sendError } from '../api.js';
import { RoutingError } from './errors.js';

/** A 400 naming the field at fault, in the shape zod's 400s have (`problems[].path` like `$.body.teams.1`). */
export function sendFieldError(res: Response, field: string, message: string) {
  sendError(res, 400, 'invalid_request', message, [{ path: `$.${field}`, message }]);
}

/** The 404 of an unknown id, worded as `notFound` words it (`no team "billing"`). */
export function sendNotFound(res: Response, what: string, id: string) {
  sendError(res, 404, 'not_found', `no ${what} "${id}"`);
}

/** Runs a routing operation and answers its refusal (`RoutingError`) in the API's error shape. */
export async function answer(res: Response, work: () => unknown): Promise<void> {
  try {
    const body = await work();
    if (body !== undefined) res.json(body);
  } catch (error) {
    if (!(error instanceof RoutingError)) throw error;
    if (error.field) sendFieldError(res, error.field, error.message);
    else sendError(res, error.status, error.code, error.message);
  }
}
