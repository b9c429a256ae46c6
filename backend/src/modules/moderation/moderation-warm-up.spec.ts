import { createModerationEngine, loadModerationConfig } from '../../engines/moderation';
import { ModerationWarmUp } from './moderation-warm-up';

// Success (loading → ok) is covered with the real worker process in test/e2e/worker-readiness.e2e.spec.ts.
describe('ModerationWarmUp', () => {
  it('reports loading at once, then a short unavailable reason when the models cannot load, without throwing', async () => {
    const engine = createModerationEngine(loadModerationConfig({}));
    await engine.close(); // its nsfw classifier is now closed for good: the warm-up must fail
    try {
      const warmUp = new ModerationWarmUp(engine);
      expect(() => warmUp.onApplicationBootstrap()).not.toThrow();
      expect(warmUp.status).toBe('loading');
      const deadline = Date.now() + 30_000;
      while (warmUp.status === 'loading' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(warmUp.status).toBe('unavailable: models failed to load');
    } finally {
      await engine.close(); // the OCR worker the warm-up started
    }
  }, 60_000);
});
