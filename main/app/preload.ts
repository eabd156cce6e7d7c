/**
 * The popover's preload (sandboxed, bundled to CommonJS by build/build-app.mjs): exposes
 * `window.cco`, one named method per IPC channel (bridge.ts), and nothing else; the page never
 * sees ipcRenderer.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.js';

contextBridge.exposeInMainWorld('cco', createBridge(ipcRenderer));
