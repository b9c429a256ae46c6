import { Global, Module } from '@nestjs/common';
import { ClipTransitions } from './clip-transitions';
import { ClipRepository } from './clip.repository';

/**
 * The clip lifecycle, under everything that moves clips: the clips table
 * and the one place that changes a clip's state. What follows a transition
 * subscribes to ClipTransitions (review rounds, webhooks, the pipeline).
 */
@Global()
@Module({ providers: [ClipRepository, ClipTransitions], exports: [ClipRepository, ClipTransitions] })
export class LifecycleModule {}
