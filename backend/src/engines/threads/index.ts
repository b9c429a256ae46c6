export { startTypeScriptAwareWorker } from './typescript-aware-worker';
