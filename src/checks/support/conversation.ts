import { randomBytes } from 'node:crypto';
import { Conversation, DEFAULT_SPEECH, loadSpeech, type ConversationLog, type StateChange } from '../../livekit/conversation.js';
import { takeTurn } from '../../livekit/turn.js';
import type { WavAudio } from '../../livekit/audio.js';
import { mintJoinToken } from '../../livekit/tokens.js';
import type { CheckContext } from '../check.js';
import type { ConversationFacts, ConversationSession, ConversationTurn } from '../facts.js';

/** A page reload: the user is gone this long before joining again. */
export const REJOIN_AFTER_MS = 1_500;

/**
 * One conversation with the agent in the doctor's room, shared by the conversation checks: each asks for
 * the phase it judges (joined, the first turn, the turn after a rejoin) and gets the same memoised result.
 */
export class ConversationDriver implements ConversationSession {
  readonly facts: ConversationFacts;
  private conversation?: Conversation;
  private speech?: Promise<WavAudio>;
  private joinedOnce?: Promise<void>;
  private firstTurnDone?: Promise<ConversationTurn>;
  private rejoinDone?: Promise<ConversationFacts['rejoin']>;

  constructor(private readonly ctx: CheckContext) {
    const d = ctx.facts.agentDispatch!;
    this.facts = {
      room: d.room,
      agentIdentity: ctx.facts.agent!.joined!.identity,
      listener: `livekit-doctor-user-${randomBytes(3).toString('hex')}`,
      speechFile: ctx.options.voiceInput ?? DEFAULT_SPEECH,
      turns: [],
      logs: [],
    };
    ctx.cleanup.add(`the doctor's user leaves ${d.room}`, () => this.conversation?.leave() ?? Promise.resolve());
  }

  /** The doctor's user is in the room and has seen the agent's state for a moment (or its absence). */
  joined(): Promise<void> {
    return (this.joinedOnce ??= this.join());
  }

  firstTurn(): Promise<ConversationTurn> {
    return (this.firstTurnDone ??= this.joined().then(() => this.turn(1)));
  }

  /** Leave, come back like a page reload, and speak again. */
  rejoin(): Promise<ConversationFacts['rejoin']> {
    return (this.rejoinDone ??= this.firstTurn().then(() => this.leaveAndReturn()));
  }

  /** The agent's own state changes, in order. */
  agentStates(): StateChange[] {
    return this.current().states.filter((s) => s.identity === this.facts.agentIdentity);
  }

  current(): ConversationLog {
    return this.conversation!.log;
  }

  private now = () => this.ctx.timeline.clock.now();

  private async join(): Promise<void> {
    const conn = this.ctx.connection!;
    const token = await mintJoinToken({ apiKey: conn.apiKey, apiSecret: conn.apiSecret, room: this.facts.room, identity: this.facts.listener, name: 'livekit-doctor user', canPublish: true, canSubscribe: true });
    this.speech ??= loadSpeech(this.facts.speechFile);
    this.conversation = await Conversation.join(conn.wsUrl, token, { timeoutMs: this.ctx.settings.timeoutMs, signal: this.ctx.runSignal, now: this.now });
    this.facts.logs.push(this.conversation.log);
    const joinedAtMs = this.now();
    this.facts.joinedAtMs ??= joinedAtMs;
    this.ctx.timeline.add('user', 'joined', { identity: this.facts.listener });
    // The voice pipeline sets its state as it starts; a moment covers an agent that joined just before us.
    await this.conversation.waitFor(() => this.agentStates().some((s) => s.state !== 'initializing'), 3_000, this.ctx.runSignal);
    const states = this.agentStates();
    this.facts.stateAtJoin ??= states[0]?.state;
  }

  private async turn(n: number): Promise<ConversationTurn> {
    this.ctx.timeline.add('user', 'speaking', { turn: n });
    const turn = await takeTurn(this.conversation!, {
      n,
      agentIdentity: this.facts.agentIdentity,
      speech: await this.speech!,
      waitMs: this.ctx.options.waitMs,
      now: this.now,
      signal: this.ctx.runSignal,
      sinceMs: this.facts.joinedAtMs ?? this.now(),
    });
    this.facts.turns.push(turn);
    this.ctx.timeline.add('user', 'turn-observed', { turn: n, heard: (turn.thinkingAtMs ?? turn.transcriptAtMs) !== undefined, replied: turn.replyAudioAtMs !== undefined });
    return turn;
  }

  private async leaveAndReturn(): Promise<ConversationFacts['rejoin']> {
    const leftAtMs = this.now();
    await this.conversation!.leave();
    this.ctx.timeline.add('user', 'left', { identity: this.facts.listener });
    await new Promise((r) => setTimeout(r, REJOIN_AFTER_MS));
    await this.join();
    const rejoinedAtMs = this.now();
    const agent = this.current().participants.find((p) => p.identity === this.facts.agentIdentity);
    const rejoin: NonNullable<ConversationFacts['rejoin']> = { leftAtMs, rejoinedAtMs, agentPresent: !!agent && agent.leftAtMs === undefined, stateAtRejoin: this.agentStates().at(-1)?.state };
    this.facts.rejoin = rejoin;
    if (rejoin.agentPresent) rejoin.turn = await this.turn(this.facts.turns.length + 1);
    const gone = this.current().participants.find((p) => p.identity === this.facts.agentIdentity && p.leftAtMs !== undefined);
    if (gone) rejoin.agentLeftAtMs = gone.leftAtMs;
    return rejoin;
  }
}

/** The run's one driver, created by the first conversation check that needs it. */
export function conversationOf(ctx: CheckContext): ConversationSession {
  return (ctx.facts.conversation ??= new ConversationDriver(ctx));
}
