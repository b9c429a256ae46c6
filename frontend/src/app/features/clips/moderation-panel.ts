import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { CheckStatus, StageResultDto } from '@provenant/shared';
import { EvidenceThumbnail } from './evidence-thumbnail';
import { moderationSections } from './moderation-view';

/**
 * What the moderation check concluded for a clip, per report (prompt,
 * reference image, clip): every category's score against the thresholds of
 * the policy version that decided, the text that matched a rule (after
 * normalisation, with the original), and the worst frames with thumbnails.
 */
@Component({
  selector: 'pv-moderation-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [EvidenceThumbnail],
  template: `
    @for (section of sections(); track section.stage + section.subject) {
      <section class="moderation-report" data-testid="moderation-report" [attr.data-subject]="section.subject" [attr.data-verdict]="section.verdict">
        <h3>
          {{ section.title }}: <span class="verdict verdict-{{ section.verdict }}">{{ section.verdict }}</span>
        </h3>
        <p class="hint">
          Policy <code>{{ section.policyVersion }}</code> · provider {{ section.provider }} · {{ section.models }} · speech: {{ section.speech }}
        </p>
        @for (note of section.notes; track $index) {
          <p class="notice" data-testid="moderation-note">{{ note }}</p>
        }
        <table class="moderation-categories" data-testid="moderation-categories">
          <thead>
            <tr>
              <th scope="col">Category</th>
              <th scope="col">Score</th>
              <th scope="col">Review at</th>
              <th scope="col">Block at</th>
              <th scope="col">Verdict</th>
              <th scope="col">Assessed by</th>
            </tr>
          </thead>
          <tbody>
            @for (row of section.categories; track row.category) {
              <tr data-testid="moderation-category" [attr.data-category]="row.category" [attr.data-verdict]="row.verdict" [class.flagged]="row.verdict !== 'allow'">
                <th scope="row">{{ row.category }}</th>
                <td>{{ row.score }}</td>
                <td>{{ row.review }}</td>
                <td>{{ row.block }}</td>
                <td><span class="verdict verdict-{{ row.verdict }}">{{ row.verdict }}</span></td>
                <td>{{ row.assessedBy ?? 'not assessed' }}</td>
              </tr>
            }
          </tbody>
        </table>
        @if (section.textMatches.length) {
          <h4>Text that matched a rule</h4>
          <ul class="text-matches">
            @for (match of section.textMatches; track $index) {
              <li data-testid="text-match" [attr.data-rule]="match.ruleId">
                <strong>{{ match.category }}</strong> {{ match.score }} in {{ match.source }}@if (match.at !== null) { at {{ match.at }} s}: read as
                <q data-testid="text-match-normalised">{{ match.normalised }}</q> (written <q>{{ match.original }}</q>), rule <code>{{ match.ruleId }}</code>
              </li>
            }
          </ul>
        }
        @for (frames of section.frames; track frames.category + frames.source) {
          <div class="frames-evidence" data-testid="frames-evidence" [attr.data-category]="frames.category">
            <h4>{{ frames.category }} in {{ frames.source }}: highest {{ frames.maxScore }}</h4>
            <p class="hint">{{ frames.runs }}@if (frames.note) {. {{ frames.note }}}</p>
            @for (frame of frames.worstFrames; track frame.thumbnailSha256) {
              <pv-evidence-thumbnail [clipId]="clipId()" [sha256]="frame.thumbnailSha256" [timestampSeconds]="frame.timestampSeconds" [score]="frame.score.toFixed(3)" />
            }
          </div>
        }
      </section>
    } @empty {
      <p class="empty" data-testid="no-moderation">
        {{ status() === 'failed' ? 'Moderation failed and produced no report; the stage error is under Stage results.' : 'No moderation report yet.' }}
      </p>
    }
  `,
  styles: `
    .moderation-report + .moderation-report { margin-top: 1.5rem; border-top: 1px solid var(--line); padding-top: 1rem; }
    h3 { font-size: 1rem; margin: 0 0 0.25rem; }
    h4 { font-size: 0.95rem; margin: 1rem 0 0.35rem; }
    .moderation-categories { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
    .moderation-categories th, .moderation-categories td { text-align: left; padding: 0.2rem 0.5rem; border-bottom: 1px solid var(--line); }
    .moderation-categories tbody th { font-weight: normal; text-transform: none; letter-spacing: normal; font-size: inherit; color: inherit; }
    tr.flagged { background: var(--review-bg); }
    .verdict { font-weight: 600; }
    .verdict-block { color: var(--stopped-ink); }
    .verdict-review { color: var(--review-ink); }
    .text-matches { padding-left: 1.2rem; margin: 0; }
  `,
})
export class ModerationPanel {
  readonly clipId = input.required<string>();
  readonly stages = input.required<readonly StageResultDto[]>();
  readonly status = input.required<CheckStatus>();
  protected readonly sections = computed(() => moderationSections(this.stages()));
}
