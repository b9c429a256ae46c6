import { Global, Module } from '@nestjs/common';
import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { OutboxRepository } from './outbox.repository';
import { QueueConnections } from './queue-connections';

@Global()
@Module({ providers: [Outbox, OutboxRelay, OutboxRepository, QueueConnections], exports: [Outbox, OutboxRelay, OutboxRepository, QueueConnections] })
export class OutboxModule {}
