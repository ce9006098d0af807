// Vitest setup file: after each test file, remove the temp folders it made (see temp-dirs.ts).
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp-dirs.js';

afterAll(() => removeTempDirs());
