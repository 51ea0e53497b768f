/** The drag payload of a palette item: the node type to add where it is dropped. */
export const PALETTE_MIME = 'application/x-switchboard-node';
