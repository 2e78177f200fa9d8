import { ATTRS_SET, DEVICE_REGISTERED, DEVICES_REMOVED, TAGS_SET, type PushDevice, type PushregEvent } from './events';

export interface PushregState {
  devices: Record<string, PushDevice>;
  tags: string[];
  attrs: Record<string, string>;
}

export const initialState = (): PushregState => ({ devices: {}, tags: [], attrs: {} });

export function evolve(state: PushregState, event: PushregEvent): PushregState {
  switch (event.type) {
    case DEVICE_REGISTERED: {
      // One token reaches one device: a token registered again under another instId moves there.
      const devices = Object.fromEntries(Object.entries(state.devices).filter(([, d]) => d.token !== event.data.token));
      return { ...state, devices: { ...devices, [event.data.instId]: event.data } };
    }
    case DEVICES_REMOVED: {
      const devices = { ...state.devices };
      for (const id of event.data.instIds) delete devices[id];
      return { ...state, devices };
    }
    case TAGS_SET:
      return { ...state, tags: event.data.tags };
    case ATTRS_SET:
      return { ...state, attrs: JSON.parse(event.data.attrs) as Record<string, string> };
  }
  return state;
}
