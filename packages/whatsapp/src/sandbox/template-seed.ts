import type { MessageTemplate, TemplateComponent } from '../templates/definition.js';

// The templates every sandbox account starts with: Spanish and English; marketing, utility and
// authentication; positional and named parameters; quick-reply and URL buttons. The names the example
// flows and tests send are here, with the parameter counts they send, so the sandbox validates them
// like Meta would.

interface Seed {
  name: string;
  language: string;
  category: string;
  parameter_format?: 'NAMED';
  status?: string;
  components: TemplateComponent[];
}

const body = (text: string, examples: string[]) => ({
  type: 'BODY',
  text,
  ...(examples.length ? { example: { body_text: [examples] } } : {}),
});
const quickReplies = (...labels: string[]) => ({
  type: 'BUTTONS',
  buttons: labels.map((text) => ({ type: 'QUICK_REPLY', text })),
});

const SEEDS: Seed[] = [
  {
    name: 'hello_world',
    language: 'en_US',
    category: 'UTILITY',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Hello World' },
      body(
        'Welcome and congratulations!! This message demonstrates your ability to send a WhatsApp message notification from the Cloud API.',
        [],
      ),
      { type: 'FOOTER', text: 'WhatsApp Business Platform sample message' },
    ],
  },
  {
    name: 'order_confirmation',
    language: 'es_MX',
    category: 'UTILITY',
    components: [
      body('Hola {{1}}, recibimos tu pedido {{2}} por {{3}}. Te avisaremos cuando salga.', [
        'Sofía',
        'MX-2048',
        '1,299.00 MXN',
      ]),
    ],
  },
  {
    name: 'order_update',
    language: 'es_MX',
    category: 'UTILITY',
    components: [
      body('Tu pedido {{1}} cambió de estado. Responde a este mensaje si necesitas ayuda.', ['A-1001']),
    ],
  },
  {
    name: 'shipping_update',
    language: 'es_MX',
    category: 'UTILITY',
    components: [body('Tu pedido {{1}} ya va en camino. Llegará en 1 a 3 días hábiles.', ['MX-2048'])],
  },
  {
    name: 'seguimiento',
    language: 'es',
    category: 'UTILITY',
    components: [body('Hola, ¿pudimos resolver tu consulta? Responde a este mensaje y seguimos.', [])],
  },
  {
    name: 'appointment_reminder',
    language: 'es',
    category: 'UTILITY',
    components: [
      body('Hola {{1}}, te recordamos tu cita de {{2}} el {{3}}. ¿Nos confirmas?', [
        'Ana',
        'fisioterapia',
        'martes 10:00',
      ]),
      quickReplies('Confirmar', 'Cambiar cita'),
    ],
  },
  {
    name: 'appointment_reminder',
    language: 'en_US',
    category: 'UTILITY',
    components: [
      body('Hi {{1}}, a reminder of your {{2}} appointment on {{3}}. Can you confirm?', [
        'Ann',
        'physio',
        'Tuesday 10:00',
      ]),
      quickReplies('Confirm', 'Reschedule'),
    ],
  },
  {
    name: 'ofertas_semana',
    language: 'es',
    category: 'MARKETING',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Ofertas de la semana' },
      body('Esta semana tenemos descuentos en toda la tienda. ¿Te interesa?', []),
      { type: 'FOOTER', text: 'Responde BAJA para no recibir más ofertas' },
      quickReplies('Quiero la oferta', 'No, gracias'),
    ],
  },
  {
    name: 'carrito_abandonado',
    language: 'es',
    category: 'MARKETING',
    components: [
      body('Hola {{1}}, dejaste tu carrito de {{2}} a medias. Termínalo aquí: {{3}}', [
        'Lucía',
        '45,90 €',
        'https://tienda.example/c/1',
      ]),
      { type: 'FOOTER', text: 'Responde BAJA para no recibir más ofertas' },
    ],
  },
  {
    name: 'abandoned_cart',
    language: 'en_US',
    category: 'MARKETING',
    components: [
      body('Hi {{1}}, your {{2}} cart is waiting. Finish it here: {{3}}', [
        'Lucy',
        '$45.90',
        'https://shop.example/c/1',
      ]),
      { type: 'FOOTER', text: 'Reply STOP to opt out' },
    ],
  },
  {
    name: 'bienvenida_cliente',
    language: 'es',
    category: 'MARKETING',
    parameter_format: 'NAMED',
    components: [
      {
        type: 'HEADER',
        format: 'TEXT',
        text: '¡Hola {{first_name}}!',
        example: { header_text_named_params: [{ param_name: 'first_name', example: 'Ana' }] },
      },
      {
        type: 'BODY',
        text: 'Gracias por unirte, {{first_name}}. Usa el código {{discount_code}} en tu primera compra.',
        example: {
          body_text_named_params: [
            { param_name: 'first_name', example: 'Ana' },
            { param_name: 'discount_code', example: 'HOLA10' },
          ],
        },
      },
      quickReplies('Ver ofertas', 'Más tarde'),
    ],
  },
  {
    name: 'verification_code',
    language: 'en_US',
    category: 'AUTHENTICATION',
    components: [
      {
        type: 'BODY',
        text: '*{{1}}* is your verification code. For your security, do not share this code.',
        example: { body_text: [['482193']] },
      },
      { type: 'FOOTER', text: 'This code expires in 10 minutes.' },
      {
        type: 'BUTTONS',
        buttons: [
          {
            type: 'URL',
            text: 'Copy code',
            url: 'https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}',
            example: ['https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp482193'],
          },
        ],
      },
    ],
  },
  {
    name: 'codigo_verificacion',
    language: 'es',
    category: 'AUTHENTICATION',
    components: [
      {
        type: 'BODY',
        text: '*{{1}}* es tu código de verificación. Por tu seguridad, no lo compartas.',
        example: { body_text: [['482193']] },
      },
      {
        type: 'BUTTONS',
        buttons: [
          {
            type: 'URL',
            text: 'Copiar código',
            url: 'https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp{{1}}',
            example: ['https://www.whatsapp.com/otp/code/?otp_type=COPY_CODE&code=otp482193'],
          },
        ],
      },
    ],
  },
  {
    name: 'summer_sale',
    language: 'es_MX',
    category: 'MARKETING',
    components: [
      body('¡Rebajas de verano! Tu pedido {{1}} tiene envío gratis esta semana.', ['A-1001']),
      { type: 'FOOTER', text: 'Responde BAJA para no recibir más ofertas' },
    ],
  },
  // Not sendable: shows what the list and the send check do with other states.
  {
    name: 'black_friday_2025',
    language: 'es',
    category: 'MARKETING',
    status: 'PAUSED',
    components: [body('¡Black Friday! Hasta un 50 % en todo con el código {{1}}.', ['BF50'])],
  },
];

/** The seed templates with ids and statuses, as a new sandbox account lists them. */
export function seedTemplates(wabaId = '0'): MessageTemplate[] {
  // Meta's template ids are unique across accounts; so are these (numbers, below 2^53 as Meta's are).
  let account = 0;
  for (const c of wabaId) account = (account * 31 + c.charCodeAt(0)) % 100_000;
  return SEEDS.map((seed, i) => ({
    ...seed,
    id: String(900_000_000_000_000 + account * 1_000 + i + 1),
    status: seed.status ?? 'APPROVED',
    quality_score: { score: seed.status === 'PAUSED' ? 'RED' : 'GREEN' },
    rejected_reason: 'NONE',
  }));
}
