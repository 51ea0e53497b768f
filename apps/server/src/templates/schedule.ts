import type { AppLogger } from '../logger.js';
import type { TemplateService } from './service.js';

/**
 * Syncs every channel's templates every `everyMs` (status webhooks keep them current in between; the
 * schedule catches what a missed webhook or a change made in Meta's own tools left behind).
 */
export function startTemplateSync(templates: TemplateService, everyMs: number, logger: AppLogger) {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void templates
      .syncAll()
      .catch((error) => logger.warn({ err: error }, 'scheduled template sync failed'))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref?.();
  return { stop: () => clearInterval(timer) };
}
