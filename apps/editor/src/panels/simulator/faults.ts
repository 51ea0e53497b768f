/**
 * WhatsApp errors worth trying in a flow, with Meta's titles (titles come from Meta in English, so
 * they are not translated). 131047 first: the most common surprise, the closed 24-hour window.
 */
export const FAULTS: readonly { code: number; title: string }[] = [
  { code: 131047, title: 'Re-engagement message' },
  { code: 131026, title: 'Message undeliverable' },
  { code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement' },
  { code: 131050, title: 'User has stopped marketing messages' },
  { code: 131048, title: 'Spam rate limit hit' },
  { code: 131053, title: 'Media upload error' },
  { code: 132001, title: 'Template does not exist' },
];
