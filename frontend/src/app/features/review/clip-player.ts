import { ChangeDetectionStrategy, Component, ElementRef, input, signal, viewChild } from '@angular/core';
import { frameStepTime, PLAYBACK_RATES } from './frame-step';

/**
 * The clip under review. Reviewer wellness by default: blurred, greyscale
 * and muted until the reviewer reveals it (B), per clip. Frame stepping
 * pauses and lands mid-frame.
 */
@Component({
  selector: 'pv-clip-player',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure class="player" data-testid="player" [attr.data-revealed]="revealed()">
      <div class="screen">
        <video
          #video
          data-testid="review-video"
          [class.veiled]="!revealed()"
          [src]="src()"
          [muted]="muted()"
          preload="auto"
          playsinline
          (play)="playing.set(true)"
          (pause)="playing.set(false)"
          (timeupdate)="time.set(video.currentTime)"
          (seeked)="time.set(video.currentTime)"
          (loadedmetadata)="duration.set(video.duration)"
          aria-label="Clip under review"
        ></video>
        @if (!revealed()) {
          <p class="veil-note">Blurred and greyscale until you reveal it{{ flagged() ? ' (a check flagged this clip)' : '' }}.</p>
        }
      </div>
      <figcaption class="controls">
        <button type="button" (click)="togglePlay()">{{ playing() ? 'Pause' : 'Play' }}</button>
        <button type="button" aria-label="Previous frame" (click)="step(-1)">‹ frame</button>
        <button type="button" aria-label="Next frame" (click)="step(1)">frame ›</button>
        <label>
          Speed
          <select (change)="setRate($any($event.target).value)">
            @for (r of rates; track r) {
              <option [value]="r" [selected]="r === rate()">{{ r }}×</option>
            }
          </select>
        </label>
        <button type="button" class="secondary" [attr.aria-pressed]="!muted()" (click)="muted.set(!muted())">{{ muted() ? 'Unmute' : 'Mute' }}</button>
        <button type="button" data-testid="reveal" [attr.aria-pressed]="revealed()" (click)="toggleReveal()">{{ revealed() ? 'Blur' : 'Reveal' }}</button>
        <span class="time" data-testid="player-time">{{ time().toFixed(2) }} / {{ duration().toFixed(2) }} s</span>
      </figcaption>
    </figure>
  `,
  styles: `
    .screen { position: relative; background: #000; }
    video { display: block; width: 100%; max-height: 60vh; }
    video.veiled { filter: blur(24px) grayscale(1); }
    .veil-note { position: absolute; inset: auto 0 0 0; margin: 0; padding: 0.4rem; background: rgb(0 0 0 / 60%); color: #fff; font-size: 0.85rem; text-align: center; }
    .controls { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: center; margin-top: 0.5rem; }
    .time { font-variant-numeric: tabular-nums; color: var(--muted); }
  `,
})
export class ClipPlayer {
  readonly src = input.required<string>();
  readonly frameRate = input.required<number>();
  readonly flagged = input(false);

  private readonly video = viewChild.required<ElementRef<HTMLVideoElement>>('video');
  protected readonly rates = PLAYBACK_RATES;
  protected readonly revealed = signal(false);
  protected readonly muted = signal(true);
  protected readonly playing = signal(false);
  protected readonly rate = signal(1);
  protected readonly time = signal(0);
  protected readonly duration = signal(0);

  togglePlay(): void {
    const video = this.video().nativeElement;
    if (video.paused) void video.play().catch(() => undefined);
    else video.pause();
  }

  step(direction: -1 | 1): void {
    const video = this.video().nativeElement;
    video.pause();
    video.currentTime = frameStepTime(video.currentTime, this.frameRate(), direction, video.duration || 0);
  }

  toggleReveal(): void {
    this.revealed.update((revealed) => !revealed);
  }

  protected setRate(value: string): void {
    const rate = Number(value);
    this.rate.set(rate);
    this.video().nativeElement.playbackRate = rate;
  }
}
