// "Only inside each contact's local daytime" (docs/campaigns.md): the contact's time zone is its own
// when known, else the primary zone of its phone's country (below; countries with several zones get
// their most populous one), else UTC.

const ZONES: Record<string, string> = {
  AR: 'America/Argentina/Buenos_Aires',
  AT: 'Europe/Vienna',
  AU: 'Australia/Sydney',
  BE: 'Europe/Brussels',
  BO: 'America/La_Paz',
  BR: 'America/Sao_Paulo',
  CA: 'America/Toronto',
  CH: 'Europe/Zurich',
  CL: 'America/Santiago',
  CN: 'Asia/Shanghai',
  CO: 'America/Bogota',
  CR: 'America/Costa_Rica',
  DE: 'Europe/Berlin',
  DO: 'America/Santo_Domingo',
  EC: 'America/Guayaquil',
  EG: 'Africa/Cairo',
  ES: 'Europe/Madrid',
  FR: 'Europe/Paris',
  GB: 'Europe/London',
  GT: 'America/Guatemala',
  HN: 'America/Tegucigalpa',
  ID: 'Asia/Jakarta',
  IE: 'Europe/Dublin',
  IN: 'Asia/Kolkata',
  IT: 'Europe/Rome',
  JP: 'Asia/Tokyo',
  KE: 'Africa/Nairobi',
  MA: 'Africa/Casablanca',
  MX: 'America/Mexico_City',
  NG: 'Africa/Lagos',
  NI: 'America/Managua',
  NL: 'Europe/Amsterdam',
  PA: 'America/Panama',
  PE: 'America/Lima',
  PH: 'Asia/Manila',
  PK: 'Asia/Karachi',
  PL: 'Europe/Warsaw',
  PR: 'America/Puerto_Rico',
  PT: 'Europe/Lisbon',
  PY: 'America/Asuncion',
  RU: 'Europe/Moscow',
  SA: 'Asia/Riyadh',
  SV: 'America/El_Salvador',
  TR: 'Europe/Istanbul',
  US: 'America/New_York',
  UY: 'America/Montevideo',
  VE: 'America/Caracas',
  ZA: 'Africa/Johannesburg',
};

export interface LocalHours {
  from: string;
  to: string;
}

/** The zone a contact's local hours are read in. */
export function contactZone(contact: { timezone: string | null; country: string | null }): string {
  if (contact.timezone && validZone(contact.timezone)) return contact.timezone;
  return (contact.country && ZONES[contact.country]) || 'UTC';
}

export function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since local midnight at `at` in `zone`. */
function localMinutes(at: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/**
 * Null when `at` is inside the window in `zone` (`from` included, `to` excluded; a window whose `to` is
 * earlier than `from` crosses midnight); otherwise when the window next opens.
 */
export function nextWindowStart(at: Date, zone: string, hours: LocalHours): Date | null {
  const now = localMinutes(at, zone);
  const from = minutes(hours.from);
  const to = minutes(hours.to);
  const inside = from <= to ? now >= from && now < to : now >= from || now < to;
  if (inside) return null;
  const wait = (from - now + 1440) % 1440;
  const start = new Date(at.getTime() + wait * 60_000);
  start.setUTCSeconds(0, 0);
  return start;
}
