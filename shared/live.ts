/**
 * The events one live.events message carries, in seq order: the message itself (an event), a batch's events
 * (several that became visible together, sent in one frame), or none (the head marker). Consumers read every
 * message through this, so the three shapes stay one stream of events.
 */
export function eventsIn<M extends { kind: string }>(message: M): Extract<M, { kind: 'event' }>[] {
  type Event = Extract<M, { kind: 'event' }>;
  if (message.kind === 'event') return [message as Event];
  const { events } = message as { events?: Event[] };
  return message.kind === 'batch' && events ? events : [];
}
