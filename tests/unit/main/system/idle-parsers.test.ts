import { describe, expect, it } from 'vitest';
import { parseIoregIdleSeconds, parseLogindIdleSeconds, parseMillisecondsLine } from '../../../../main/system/idle/idle-parsers.js';

// `ioreg -c IOHIDSystem -r -d 1 -k HIDIdleTime` on macOS 15 (MacBook Pro, M3), trimmed of other keys.
const IOREG_SONOMA = `+-o IOHIDSystem  <class IOHIDSystem, id 0x1000006ab, registered, matched, active, busy 0 (0 ms), retain 28>
    {
      "HIDIdleTime" = 4380012958
    }

`;

// The full `ioreg -c IOHIDSystem` tree on an Intel Mac: the key sits among others, inside the tree drawing.
const IOREG_FULL_TREE = `+-o Root  <class IORegistryEntry, id 0x100000100, retain 26>
  +-o Mac-35C1E88140C3E6CF  <class IOPlatformExpertDevice, id 0x10000010f, registered, matched, active, busy 0 (31640 ms), retain 33>
    +-o IOResources  <class IOResources, id 0x100000112, registered, matched, active, busy 0 (7 ms), retain 35>
      +-o IOHIDSystem  <class IOHIDSystem, id 0x10000049c, registered, matched, active, busy 0 (0 ms), retain 21>
      | | {
      | |   "IOClass" = "IOHIDSystem"
      | |   "CFBundleIdentifier" = "com.apple.iokit.IOHIDFamily"
      | |   "IOProviderClass" = "IOResources"
      | |   "HIDScrollZoomModifierMask" = 0
      | |   "HIDParameters" = {"HIDClickTime"=500000000,"HIDKeyRepeat"=83333333,"HIDIdleTime"=99999999999}
      | |   "HIDIdleTime" = 125000000000
      | |   "IOGeneralInterest" = "IOCommand is not serializable"
      | | }
`;

describe('parseIoregIdleSeconds', () => {
  it('reads HIDIdleTime in nanoseconds as seconds', () => {
    expect(parseIoregIdleSeconds(IOREG_SONOMA)).toBeCloseTo(4.38, 2);
  });
  it('finds the property in the full tree, not a same-named key inside a dictionary value', () => {
    expect(parseIoregIdleSeconds(IOREG_FULL_TREE)).toBe(125);
  });
  it('with two HID systems listed, the more recent input wins', () => {
    expect(parseIoregIdleSeconds(`${IOREG_SONOMA}${IOREG_SONOMA.replace('4380012958', '912000000')}`)).toBe(0.912);
  });
  it('is exact past 2^53 nanoseconds (105 days away)', () => {
    expect(parseIoregIdleSeconds('"HIDIdleTime" = 9200000000000000')).toBe(9_200_000);
  });
  it('says nothing when the key is missing, the output empty, or the value absurd', () => {
    expect(parseIoregIdleSeconds('')).toBeUndefined();
    expect(parseIoregIdleSeconds('+-o IOHIDSystem  <class IOHIDSystem, id 0x1000006ab>\n    {\n    }\n')).toBeUndefined();
    expect(parseIoregIdleSeconds('"HIDIdleTime" = <>')).toBeUndefined();
    expect(parseIoregIdleSeconds('"HIDIdleTime" = 99999999999999999999')).toBeUndefined();
  });
});

describe('parseMillisecondsLine (xprintidle, xssstate -i, the PowerShell loop)', () => {
  it('reads milliseconds', () => {
    expect(parseMillisecondsLine('1172\n')).toBe(1.172);
    expect(parseMillisecondsLine('0\r\n')).toBe(0);
  });
  it('says nothing for errors and odd output', () => {
    expect(parseMillisecondsLine("couldn't open display\n")).toBeUndefined();
    expect(parseMillisecondsLine('screen saver extension not supported\n')).toBeUndefined();
    expect(parseMillisecondsLine('')).toBeUndefined();
    // The PowerShell loop prints -1 when GetLastInputInfo fails (no interactive desktop).
    expect(parseMillisecondsLine('-1')).toBeUndefined();
    expect(parseMillisecondsLine('12.5')).toBeUndefined();
    expect(parseMillisecondsLine('12\n13\n')).toBeUndefined();
  });
});

describe('parseLogindIdleSeconds', () => {
  const NOW = Date.UTC(2026, 10, 27, 19, 0, 0);
  const us = (ms: number) => String(BigInt(ms) * 1000n);

  it('idle graphical session: seconds since IdleSinceHint', () => {
    const out = `Type=wayland\nIdleHint=yes\nIdleSinceHint=${us(NOW - 420_000)}\n`;
    expect(parseLogindIdleSeconds(out, NOW)).toBe(420);
  });
  it('active graphical session whose desktop manages the hint: 0', () => {
    expect(parseLogindIdleSeconds(`IdleHint=no\nIdleSinceHint=${us(NOW - 3_600_000)}\nType=x11\n`, NOW)).toBe(0);
  });
  it('SSH or console session: the terminal last-access time, whatever the hint', () => {
    expect(parseLogindIdleSeconds(`Type=tty\nIdleHint=no\nIdleSinceHint=${us(NOW - 42_000)}\n`, NOW)).toBe(42);
  });
  it('says nothing when no one ever set the hint (IdleSinceHint=0)', () => {
    expect(parseLogindIdleSeconds('Type=x11\nIdleHint=no\nIdleSinceHint=0\n', NOW)).toBeUndefined();
    expect(parseLogindIdleSeconds('Type=unspecified\nIdleHint=yes\nIdleSinceHint=0\n', NOW)).toBeUndefined();
  });
  it('says nothing for errors, missing keys, or a time well in the future', () => {
    expect(parseLogindIdleSeconds('', NOW)).toBeUndefined();
    expect(parseLogindIdleSeconds('Failed to get session path: No session \'auto\' known\n', NOW)).toBeUndefined();
    expect(parseLogindIdleSeconds(`IdleSinceHint=${us(NOW)}\n`, NOW)).toBeUndefined();
    expect(parseLogindIdleSeconds(`IdleHint=maybe\nIdleSinceHint=${us(NOW)}\n`, NOW)).toBeUndefined();
    expect(parseLogindIdleSeconds(`Type=tty\nIdleHint=yes\nIdleSinceHint=${us(NOW + 3_600_000)}\n`, NOW)).toBeUndefined();
  });
  it('a timestamp a moment ahead of our clock counts as just now', () => {
    expect(parseLogindIdleSeconds(`Type=tty\nIdleHint=no\nIdleSinceHint=${us(NOW + 800)}\n`, NOW)).toBe(0);
  });
});
