#!/usr/bin/env node
// The headless presence client (see README).
import { runEntry } from "./run-entry.mjs";

await runEntry("beacon-cli");
