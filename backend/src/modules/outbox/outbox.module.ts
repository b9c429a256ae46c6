import { Global, Module } from '@nestjs/common';
import { LostJobs } from './lost-jobs';
import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { OutboxRepository } from './outbox.repository';
import { QueueConnections } from './queue-connections';

@Global()
@Module({
  providers: [Outbox, OutboxRelay, OutboxRepository, QueueConnections, LostJobs],
  exports: [Outbox, OutboxRelay, OutboxRepository, QueueConnections, LostJobs],
})
export class OutboxModule {}
