/** Why an entry was last updated, in words: `periodic` → "Heartbeat". */
const LABELS: Record<string, string> = {
  self: 'Gateway',
  connect: 'Connected',
  disconnect: 'Disconnected',
  launch: 'Launched',
  periodic: 'Heartbeat',
  heartbeat: 'Heartbeat',
  'instances-refresh': 'Refreshed',
  'node-connected': 'Node connected',
  'node-disconnected': 'Node disconnected',
  wake: 'Woke from sleep',
};

export function reasonLabel(reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  const key = reason.trim().toLowerCase();
  if (key.startsWith('periodic')) return 'Heartbeat';
  return LABELS[key] ?? reason;
}
