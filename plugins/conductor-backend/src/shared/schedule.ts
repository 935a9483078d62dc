import {
  LoggerService,
  RootConfigService,
  SchedulerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { CapabilityTask } from './capability';

/**
 * Schedules a capability's task: its schedule from its config key, else its
 * default; the body logs its own failure and never throws out.
 */
export async function scheduleTask(
  deps: {
    scheduler: SchedulerService;
    config: RootConfigService;
    logger: LoggerService;
  },
  task: CapabilityTask,
): Promise<void> {
  const configured = deps.config.getOptionalConfig(task.configKey);
  await deps.scheduler.scheduleTask({
    id: task.id,
    ...(configured
      ? readSchedulerServiceTaskScheduleDefinitionFromConfig(configured)
      : task.defaultSchedule),
    ...(task.scope ? { scope: task.scope } : {}),
    fn: async signal => {
      try {
        await task.run(signal);
      } catch (e) {
        deps.logger.error(`${task.what} failed: ${(e as Error).message}`);
      }
    },
  });
}
