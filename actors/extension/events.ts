/** Events of a conversation's message extensions (schemas/extension/*.avsc). */
export const EXTENSIONS_SET = 'parley.extension.ExtensionsSet';
export const EXTENSIONS_CLEARED = 'parley.extension.ExtensionsCleared';

/** One key as stored: a deleted key keeps its sequence with value '' until the next clearing. */
export interface KeyValue {
  key: string;
  value: string;
  seq: number;
}

/** `message`: the one-to-one MsgKey, or the group message's sequence written in decimal. */
export interface ExtensionsSet {
  type: typeof EXTENSIONS_SET;
  data: { message: string; items: KeyValue[]; by: string; at: number };
}
export interface ExtensionsCleared {
  type: typeof EXTENSIONS_CLEARED;
  data: { message: string; seq: number; by: string; at: number };
}

export type ExtensionEvent = ExtensionsSet | ExtensionsCleared;
