// Generation engine: the video generators (a local ffmpeg demo, OpenAI) behind one GenerationProvider contract.
export { GenerationError, type GenerationProvider } from './generation-provider';
export { LocalDemoGenerator } from './local-demo-generator';
export { OpenAIVideoGenerator } from './openai-video-generator';
