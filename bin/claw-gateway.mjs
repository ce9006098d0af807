#!/usr/bin/env node
// The embedded presence gateway, standalone (see README).
import { runEntry } from "./run-entry.mjs";

await runEntry("gateway-cli");
