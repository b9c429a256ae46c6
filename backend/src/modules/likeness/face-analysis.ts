import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { FaceAnalyzer, type DetectedFace, type DetectionOptions, type RgbImage } from '../../engines/likeness';

/** What the likeness check and enrolment ask of face analysis. */
export interface FaceAnalysisSource {
  analyse(image: RgbImage, detection?: Partial<DetectionOptions>): Promise<DetectedFace[]>;
}

/**
 * One face analyser per process, loaded on first use (the models take a few
 * seconds): a process that never sees a face template never loads them. One
 * thread, as the worker's other stages need the second core.
 */
@Injectable()
export class FaceAnalysis implements FaceAnalysisSource, OnModuleDestroy {
  private analyzer: Promise<FaceAnalyzer> | null = null;

  async analyse(image: RgbImage, detection?: Partial<DetectionOptions>): Promise<DetectedFace[]> {
    this.analyzer ??= FaceAnalyzer.create({ threads: 1 }).catch((err: unknown) => {
      this.analyzer = null; // a later call tries again
      throw err;
    });
    return (await this.analyzer).analyse(image, detection);
  }

  async onModuleDestroy(): Promise<void> {
    const analyzer = await this.analyzer?.catch(() => null);
    await analyzer?.close();
  }
}
