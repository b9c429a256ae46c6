import { Global, Module } from '@nestjs/common';
import { Outbox } from './outbox';
import { OutboxRelay } from './outbox-relay';
import { QueueConnections } from './queue-connections';

@Global()
@Module({ providers: [Outbox, OutboxRelay, QueueConnections], exports: [Outbox, OutboxRelay, QueueConnections] })
export class OutboxModule {}
