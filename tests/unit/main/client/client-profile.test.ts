import { describe, expect, it } from 'vitest';
import { clientIdFor, connectModeFor } from '../../../../main/client/client-profile.js';

describe('client profile', () => {
  it('picks the desktop app ids by platform and backend mode for a one-row presence', () => {
    expect(clientIdFor('beacon-only', 'darwin')).toBe('openclaw-macos');
    expect(clientIdFor('beacon-only', 'linux')).toBe('openclaw-linux');
    expect(clientIdFor('beacon-only', 'win32')).toBe('gateway-client');
    expect(clientIdFor('viewer', 'linux')).toBe('cli');
    expect(connectModeFor('beacon-only')).toBe('backend');
    expect(connectModeFor('connect-row')).toBe('ui');
  });
});
