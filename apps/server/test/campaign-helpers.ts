import type { Runtime } from '../src/runtime.js';

// Seeded audiences for the campaign tests: contacts of known kinds, so every skip reason has an exact
// expected count.

export type ContactKind = 'blocked' | 'opted_out' | 'not_opted_in' | 'no_cart' | 'ok';

/** A Spanish mobile number (or a Cuban one, a blocked region) with index `i`. */
export const waIdOf = (i: number, kind: ContactKind) =>
  kind === 'blocked' ? `5351${String(i).padStart(6, '0')}` : `3461${String(i).padStart(7, '0')}`;

/** Upserts contacts of the given kinds, in that order (index 0, 1, …), all tagged `tag`. */
export async function seedContacts(
  rt: Pick<Runtime, 'database'>,
  kinds: ContactKind[],
  tag = 'promo',
  /** The first contact's index (keeps audiences of one server apart). */
  from = 0,
): Promise<string[]> {
  const at = new Date().toISOString();
  const consentAt = '2026-01-01T00:00:00.000Z';
  const rows = kinds.map((kind, k) => {
    const i = from + k;
    const waId = waIdOf(i, kind);
    const marketing =
      kind === 'not_opted_in'
        ? undefined
        : { optedIn: kind !== 'opted_out', source: 'import', at: consentAt };
    return {
      id: `c_${waId}`,
      channel: 'default',
      waId,
      name: i % 2 === 0 ? `Cliente ${i}` : null,
      phone: `+${waId}`,
      country: kind === 'blocked' ? 'CU' : 'ES',
      consent: marketing ? { marketing } : {},
      attributes: kind === 'no_cart' ? {} : { cart: `${i},00 €` },
      tags: [tag],
      timezone: null,
    };
  });
  for (let i = 0; i < rows.length; i += 500)
    await rt.database.repos.contactImport.upsertMany(rows.slice(i, i + 500), at);
  return rows.map((r) => r.waId);
}

/** `n` contacts of `kind`. */
export const many = (n: number, kind: ContactKind): ContactKind[] => Array.from({ length: n }, () => kind);

/** The abandoned-cart marketing template with per-contact parameters (3 positional body values). */
export const CART_TEMPLATE = {
  name: 'carrito_abandonado',
  language: 'es',
  body: {
    params: [
      '{{contact.name | "amigo"}}',
      '{{contact.attributes.cart}}',
      'https://tienda.example/c/{{contact.waId}}',
    ],
  },
};

/** The busiest second among arrival times (ms). */
export function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end++) {
    while (sorted[end]! - sorted[start]! >= 1000) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
