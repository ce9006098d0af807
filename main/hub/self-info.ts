/** The embedded gateway's own presence facts, from this machine. */
import type { SelfInfo } from '../../shared/presence/rules.js';
import { appVersion } from '../system/app-version.js';
import { readHostInfo } from '../system/host-info.js';

export function localSelfInfo(): SelfInfo {
  const host = readHostInfo();
  return { ...host, version: appVersion() };
}
