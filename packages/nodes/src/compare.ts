/** Lower-cases and strips accents, so "Facturación" matches "facturacion". */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();
}

export function asText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

/** Equality that treats "3" and 3 as equal and, unless case matters, compares folded text. */
export function looselyEqual(a: unknown, b: unknown, ignoreCase: boolean): boolean {
  if (typeof a === 'number' || typeof b === 'number') {
    const x = Number(a);
    const y = Number(b);
    if (!Number.isNaN(x) && !Number.isNaN(y) && asText(a).trim() !== '' && asText(b).trim() !== '')
      return x === y;
  }
  if (typeof a === 'boolean' || typeof b === 'boolean')
    return asText(a).toLowerCase() === asText(b).toLowerCase();
  const [x, y] = [asText(a), asText(b)];
  return ignoreCase ? fold(x) === fold(y) : x === y;
}
