/** The built-in gateway's own presence facts, from this machine. */
import os from 'node:os';
import type { SelfInfo } from '../../shared/presence/rules.js';
import { appVersion } from '../system/app-version.js';
import { readHostInfo } from '../system/host-info.js';

export function localSelfInfo(): SelfInfo {
  const host = readHostInfo();
  // The real gateway names a model only from firmware (DMI product name, device-tree model)
  // and leaves it out otherwise; the CPU architecture (host-info's fallback) is not a model.
  const modelIdentifier = host.modelIdentifier === os.arch() ? undefined : host.modelIdentifier;
  return { ...host, modelIdentifier, version: appVersion() };
}
