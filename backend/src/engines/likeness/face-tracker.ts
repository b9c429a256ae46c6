import { cosineDistance } from './embedding-math';
import type { DetectedFace, FaceBox } from './types';

export interface TrackerOptions {
  /** Join a detection to a track when the boxes overlap at least this much (IoU)… */
  minIou: number;
  /** …or when the centres are closer than this many face sizes (per second since the track's last detection, at least one second's worth)… */
  maxCentreShiftFaceSizesPerSecond: number;
  /** …and the face sizes differ by at most this factor. */
  maxSizeRatio: number;
  /** A detection whose embedding is this close to the track's best one joins it wherever it is (a cut, a jump). */
  joinByEmbeddingDistance: number;
  /** A candidate joined by position is refused when its embedding is farther than this from the track's (two people crossing). */
  splitByEmbeddingDistance: number;
  /** A track not seen for longer than this (seconds) is closed. */
  maxGapSeconds: number;
  /** Detections kept per track for embedding/matching, best quality first. */
  keepPerTrack: number;
}

export const DEFAULT_TRACKER_OPTIONS: TrackerOptions = {
  minIou: 0.3,
  maxCentreShiftFaceSizesPerSecond: 1.5,
  maxSizeRatio: 1.8,
  joinByEmbeddingDistance: 0.25,
  splitByEmbeddingDistance: 0.6,
  maxGapSeconds: 3,
  keepPerTrack: 3,
};

export interface TrackedDetection {
  timeSeconds: number;
  face: DetectedFace;
}

export interface FaceTrack {
  trackId: number;
  firstSeconds: number;
  lastSeconds: number;
  /** Every frame time the face was seen at. */
  times: number[];
  /** The box at each of `times`. */
  boxes: FaceBox[];
  /** The best `keepPerTrack` detections by quality.overall, best first: the ones to match. */
  best: TrackedDetection[];
}

interface OpenTrack extends FaceTrack {
  lastBox: FaceBox;
  lastEmbedding: Float32Array | null;
}

export function iou(a: FaceBox, b: FaceBox): number {
  const x1 = Math.max(a.x, b.x);
  const y1 = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.width, b.x + b.width);
  const y2 = Math.min(a.y + a.height, b.y + b.height);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a.width * a.height + b.width * b.height - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Groups a clip's detections, frame by frame in time order, into tracks of
 * one face each. A detection joins the open track that it overlaps (IoU),
 * whose centre it is near relative to the face's size (a panned face moves
 * far between frames sampled a second apart, so IoU alone splits it), or
 * whose embedding it is close to; position alone never joins two clearly
 * different embeddings. Frames may be analysed without embeddings
 * (`analyse(frame, { embed: false })`): then position alone tracks, and the
 * caller embeds only each track's `best` frames. Each pairing is greedy by cost, one detection per
 * track per frame. Each track keeps its best few detections by quality, so
 * a clip's distinct faces are matched a few times each, not on every frame.
 */
export class FaceTracker {
  private readonly options: TrackerOptions;
  private readonly open: OpenTrack[] = [];
  private readonly closed: OpenTrack[] = [];
  private nextId = 1;
  private lastTime = -Infinity;

  constructor(options: Partial<TrackerOptions> = {}) {
    this.options = { ...DEFAULT_TRACKER_OPTIONS, ...options };
    if (!(this.options.keepPerTrack >= 1)) throw new RangeError('keepPerTrack must be at least 1');
  }

  /** Adds one sampled frame's faces; frames must come in increasing time. */
  addFrame(timeSeconds: number, faces: readonly DetectedFace[]): void {
    if (!Number.isFinite(timeSeconds) || timeSeconds <= this.lastTime) {
      throw new RangeError(`frame times must increase: got ${timeSeconds} after ${this.lastTime}`);
    }
    this.lastTime = timeSeconds;
    const o = this.options;
    for (let i = this.open.length - 1; i >= 0; i--) {
      if (timeSeconds - this.open[i].lastSeconds > o.maxGapSeconds) this.closed.push(...this.open.splice(i, 1));
    }
    const candidates: Array<{ cost: number; track: OpenTrack; face: number }> = [];
    faces.forEach((face, fi) => {
      for (const track of this.open) {
        const cost = this.cost(track, face, timeSeconds);
        if (cost !== null) candidates.push({ cost, track, face: fi });
      }
    });
    candidates.sort((a, b) => a.cost - b.cost);
    const usedFaces = new Set<number>();
    const usedTracks = new Set<OpenTrack>();
    for (const c of candidates) {
      if (usedFaces.has(c.face) || usedTracks.has(c.track)) continue;
      usedFaces.add(c.face);
      usedTracks.add(c.track);
      this.extend(c.track, timeSeconds, faces[c.face]);
    }
    faces.forEach((face, fi) => {
      if (usedFaces.has(fi)) return;
      const track: OpenTrack = {
        trackId: this.nextId++,
        firstSeconds: timeSeconds,
        lastSeconds: timeSeconds,
        times: [timeSeconds],
        boxes: [face.box],
        best: [{ timeSeconds, face }],
        lastBox: face.box,
        lastEmbedding: face.embedding,
      };
      this.open.push(track);
    });
  }

  /** Every track so far (open and closed), in order of first appearance. */
  tracks(): FaceTrack[] {
    return [...this.closed, ...this.open]
      .sort((a, b) => a.firstSeconds - b.firstSeconds || a.trackId - b.trackId)
      .map(({ trackId, firstSeconds, lastSeconds, times, boxes, best }) => ({ trackId, firstSeconds, lastSeconds, times: [...times], boxes: [...boxes], best: [...best] }));
  }

  /** Lower is a better pairing; null when the face cannot be this track's. */
  private cost(track: OpenTrack, face: DetectedFace, time: number): number | null {
    const o = this.options;
    // Without embeddings (detection-only frames) position alone decides.
    const embeddingDistance = track.lastEmbedding && face.embedding && track.lastEmbedding.length === face.embedding.length ? cosineDistance(track.lastEmbedding, face.embedding) : null;
    if (embeddingDistance !== null && embeddingDistance <= o.joinByEmbeddingDistance) return embeddingDistance;
    if (embeddingDistance !== null && embeddingDistance > o.splitByEmbeddingDistance) return null;
    const a = track.lastBox;
    const b = face.box;
    const sizeA = Math.sqrt(a.width * a.height);
    const sizeB = Math.sqrt(b.width * b.height);
    if (Math.max(sizeA, sizeB) / Math.max(1, Math.min(sizeA, sizeB)) > o.maxSizeRatio) return null;
    const overlap = iou(a, b);
    const dx = a.x + a.width / 2 - (b.x + b.width / 2);
    const dy = a.y + a.height / 2 - (b.y + b.height / 2);
    const shift = Math.hypot(dx, dy) / ((sizeA + sizeB) / 2);
    const allowed = o.maxCentreShiftFaceSizesPerSecond * Math.max(1, time - track.lastSeconds);
    if (overlap < o.minIou && shift > allowed) return null;
    // Position-joined pairs rank after embedding-joined ones; closer and more similar first.
    return 1 + Math.min(shift / allowed, 1 - overlap) + (embeddingDistance ?? 0.5);
  }

  private extend(track: OpenTrack, time: number, face: DetectedFace): void {
    track.lastSeconds = time;
    track.times.push(time);
    track.boxes.push(face.box);
    track.lastBox = face.box;
    track.lastEmbedding = face.embedding ?? track.lastEmbedding;
    track.best.push({ timeSeconds: time, face });
    track.best.sort((a, b) => b.face.quality.overall - a.face.quality.overall);
    track.best.length = Math.min(track.best.length, this.options.keepPerTrack);
  }
}
