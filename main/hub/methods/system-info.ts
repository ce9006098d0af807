/**
 * `system.info`: the gateway host's identity and resources, in the real gateway
 * 2026.9.6's shape (`SystemInfoResult`), with real figures. Fields about agents
 * (`defaultAgentUtilityModel`) and the event-loop monitor are left out: a
 * presence-only gateway has neither.
 */
import os from 'node:os';
import { z } from 'zod';
import { METHOD_SCOPES } from '../../../shared/protocol/constants.js';
import { osLabel, readDisk, readLoadAverage } from '../host-figures.js';
import { defineMethod, type MethodContext, type MethodDef } from './types.js';

export function collectSystemInfo(ctx: MethodContext): Record<string, unknown> {
  const cpus = os.cpus();
  const loadAverage = readLoadAverage();
  const diskPath = ctx.gateway.dataDir ?? os.homedir();
  const disk = readDisk(diskPath);
  const memory = process.memoryUsage();
  return {
    machineName: os.hostname(),
    hostname: os.hostname(),
    platform: os.platform(),
    release: os.release(),
    arch: os.arch(),
    osLabel: osLabel(),
    port: ctx.gateway.port,
    nodeVersion: process.version,
    pid: process.pid,
    processInstanceId: ctx.gateway.processInstanceId,
    uptimeMs: Math.max(0, Math.round(ctx.clock() - ctx.gateway.startedAtMs)),
    cpuCount: cpus.length,
    ...(cpus[0]?.model.trim() ? { cpuModel: cpus[0].model.trim() } : {}),
    ...(loadAverage ? { loadAverage } : {}),
    memoryTotalBytes: os.totalmem(),
    memoryFreeBytes: os.freemem(),
    processMemory: {
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      externalBytes: memory.external,
      arrayBuffersBytes: memory.arrayBuffers,
    },
    ...(disk
      ? { disks: [{ path: disk.path, totalBytes: disk.totalBytes, availableBytes: disk.availableBytes }], diskTotalBytes: disk.totalBytes, diskAvailableBytes: disk.availableBytes, diskPath: disk.path }
      : {}),
  };
}

export const systemInfoMethods = {
  'system.info': defineMethod({
    scope: METHOD_SCOPES['system.info'],
    params: z.strictObject({}).optional(),
    handle: (ctx) => collectSystemInfo(ctx),
  }),
} satisfies Record<string, MethodDef>;
