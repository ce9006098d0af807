/**
 * The packing step of electron-builder, offline: `--linux dir` with a stub
 * Electron (the real binary can't be downloaded here). The stub is a file that
 * holds only the fuse wire, so the test also shows which fuses the build sets.
 * Installer formats (dmg, AppImage, deb, nsis) need downloads and are not built.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/test-client.js';

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = ['RunAsNode', 'EnableCookieEncryption', 'EnableNodeOptionsEnvironmentVariable', 'EnableNodeCliInspectArguments', 'EnableEmbeddedAsarIntegrityValidation', 'OnlyLoadAppFromAsar', 'LoadBrowserProcessSpecificV8Snapshot', 'GrantFileProtocolExtraPrivileges'];

describe('packaging (electron-builder --linux dir, stub Electron)', () => {
  it('packs the built app into an asar with its runtime dependencies, no sources or tests, and sets the fuses', () => {
    const stub = tempDir('claw-stub-electron-');
    // Fuse wire v1, 8 fuses, all "enabled" (0x31) as a stock Electron ships them.
    writeFileSync(path.join(stub, 'electron'), Buffer.concat([Buffer.from('stub electron binary for packing tests\n'), Buffer.from(SENTINEL), Buffer.from([1, FUSES.length]), Buffer.alloc(FUSES.length, 0x31)]), { mode: 0o755 });
    const out = tempDir('claw-pack-');
    mkdirSync(out, { recursive: true });
    const r = spawnSync('npx', ['electron-builder', '--linux', 'dir', `-c.electronDist=${stub}`, `-c.directories.output=${out}`, '--publish', 'never'], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(r.status, `${r.stdout}\n${r.stderr}`.slice(-3000)).toBe(0);

    const unpacked = path.join(out, 'linux-unpacked');
    const asar = createRequire(import.meta.url)('@electron/asar') as { listPackage(file: string, o: object): string[] };
    const files = asar.listPackage(path.join(unpacked, 'resources', 'app.asar'), {}).map((f) => f.replaceAll('\\', '/'));
    for (const needed of ['/package.json', '/dist/main/electron-main.js', '/dist/main/core/instances-service.js', '/dist/preload/preload.cjs', '/dist/renderer/index.html', '/app/tray.png', '/node_modules/ws/package.json', '/node_modules/zod/package.json', '/node_modules/json5/package.json', '/node_modules/node-sqlite3-wasm/dist/node-sqlite3-wasm.wasm']) {
      expect(files, needed).toContain(needed);
    }
    expect(files.filter((f) => f.startsWith('/tests/') || f.startsWith('/main/') || f.startsWith('/renderer/') || f.endsWith('.map') || f.startsWith('/node_modules/electron/') || f.startsWith('/node_modules/react'))).toEqual([]);

    const binary = readFileSync(path.join(unpacked, 'claw-instances'));
    const wireAt = binary.indexOf(SENTINEL) + SENTINEL.length + 2;
    const fuses = Object.fromEntries(FUSES.map((name, i) => [name, binary[wireAt + i] === 0x31]));
    expect(fuses).toMatchObject({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      GrantFileProtocolExtraPrivileges: false,
    });
  });
});
