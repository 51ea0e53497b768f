/**
 * The inspector's credential and team pickers: fields that name a stored credential or a team, filled
 * from `GET /api/credentials` and `GET /api/teams`.
 */
export const pickersStrings = {
  en: {
    'lookup.reload': 'Reload list',
    'lookup.reloadTitle': 'Fetch the list again from the server',
    'lookup.loading': 'Loading…',
    'credential.none': '(none)',
    'credential.optionNotFound': '{name} (not found)',
    'credential.optionWrongType': '{name} ({type}: wrong type)',
    'credential.notFound':
      'There is no credential "{name}" on this server: it is kept as it is. Create it, or pick another.',
    'credential.wrongType': '"{name}" is a {type} credential; this node needs {types}.',
    'credential.noneOfType': 'No {types} credential is stored yet.',
    'credential.noneStored': 'No credential is stored yet.',
    'credential.loadFailed': 'Could not load the stored credentials ({error}): type the name.',
    'credential.howTo':
      'Credentials are created through the API: POST /api/credentials (see docs/integrations.md). Flows hold only their name, never the secret.',
    'credentialType.hubspot': 'HubSpot',
    'credentialType.bitrix24': 'Bitrix24',
    'credentialType.slack': 'Slack',
    'credentialType.httpBearer': 'Bearer token',
    'credentialType.httpBasic': 'Basic auth',
    'credentialType.httpHeader': 'Custom header',
    'team.placeholder': 'Pick a team or type its id',
    'team.is': 'Team: {name}',
    'team.byName': 'Team: {name} (by its name; its id is {id})',
    'team.closedNow': 'closed now',
    'team.notFound':
      'There is no team "{value}" on this server: it is kept as it is. Pick one from the list.',
    'team.noneYet': 'No teams yet: create them with POST /api/teams (see docs/routing.md).',
    'team.loadFailed': 'Could not load the teams ({error}).',
  },
  es: {
    'lookup.reload': 'Actualizar lista',
    'lookup.reloadTitle': 'Volver a pedir la lista al servidor',
    'lookup.loading': 'Cargando…',
    'credential.none': '(ninguna)',
    'credential.optionNotFound': '{name} (no encontrada)',
    'credential.optionWrongType': '{name} ({type}: tipo incorrecto)',
    'credential.notFound':
      'No hay ninguna credencial "{name}" en este servidor: se mantiene tal cual. Créala o elige otra.',
    'credential.wrongType': '"{name}" es una credencial de {type}; este nodo necesita {types}.',
    'credential.noneOfType': 'Todavía no hay ninguna credencial de {types} guardada.',
    'credential.noneStored': 'Todavía no hay ninguna credencial guardada.',
    'credential.loadFailed': 'No se pudieron cargar las credenciales ({error}): escribe el nombre.',
    'credential.howTo':
      'Las credenciales se crean desde la API: POST /api/credentials (ver docs/integrations.md). Los flujos solo guardan su nombre, nunca el secreto.',
    'credentialType.hubspot': 'HubSpot',
    'credentialType.bitrix24': 'Bitrix24',
    'credentialType.slack': 'Slack',
    'credentialType.httpBearer': 'Token Bearer',
    'credentialType.httpBasic': 'Usuario y contraseña',
    'credentialType.httpHeader': 'Cabecera personalizada',
    'team.placeholder': 'Elige un equipo o escribe su id',
    'team.is': 'Equipo: {name}',
    'team.byName': 'Equipo: {name} (por su nombre; su id es {id})',
    'team.closedNow': 'cerrado ahora',
    'team.notFound':
      'No hay ningún equipo "{value}" en este servidor: se mantiene tal cual. Elige uno de la lista.',
    'team.noneYet': 'Todavía no hay equipos: créalos con POST /api/teams (ver docs/routing.md).',
    'team.loadFailed': 'No se pudieron cargar los equipos ({error}).',
  },
};
