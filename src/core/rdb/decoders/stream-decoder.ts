import { COMPACT_HEAD_BYTES, headerCount } from '../compact.js';
import { STREAM_ID_BYTES, T } from '../format.js';
import type { RdbInput } from '../input.js';
import { LIMITS } from '../limits.js';
import { rdbIntegrity } from '../rdb-error.js';
import { RaxShape } from '../rax-shape.js';
import { readLen, readLen64, readSmallString, readString, skipLen, STR_RAW, stringHead } from '../strings.js';
import type { ValueInfo } from '../value-info.js';
import { blob, type DecodeContext, type ValueDecoder } from './decoder.js';

const enum Phase {
  NodeCount,
  Nodes,
  Meta,
  GroupCount,
  Group,
  GroupPel,
  ConsumerCount,
  Consumer,
  ConsumerPel,
  Done,
}

/**
 * Streams, types 15/19/21 (rdb.c): listpack nodes (a 16-byte master ID, a listpack), then length
 * and last ID (v2+: first ID, max deleted ID, entries added), then consumer groups: name, last
 * delivered ID (v2+: entries read), the group PEL (16-byte ID, 8-byte delivery time, count), its
 * consumers (name, seen time, v3: active time, their PEL of 16-byte IDs). Every list is resumable.
 */
export class StreamDecoder implements ValueDecoder {
  private phase = Phase.NodeCount;
  private left = 0;
  private groupsLeft = 0;
  private consumersLeft = 0;
  // MEMORY USAGE charges each rax node: counted from the IDs as they pass (the RDB lists them in order).
  private readonly nodeRax = new RaxShape(STREAM_ID_BYTES);
  private readonly pelRax = new RaxShape(STREAM_ID_BYTES);

  begin(info: ValueInfo): void {
    info.type = 'stream';
    info.encoding = 'stream';
    this.phase = Phase.NodeCount;
    this.nodeRax.reset();
  }

  step(inp: RdbInput, info: ValueInfo, ctx: DecodeContext): void {
    const v2 = info.rdbType >= T.STREAM_LISTPACKS_2;
    const v3 = info.rdbType >= T.STREAM_LISTPACKS_3;
    const ref = ctx.ref;
    for (;;) {
      switch (this.phase) {
        case Phase.NodeCount:
          this.left = readLen(inp);
          this.phase = Phase.Nodes;
          break;
        case Phase.Nodes:
          if (this.left === 0) {
            info.streamRaxNodes = this.nodeRax.nodes;
            this.phase = Phase.Meta;
            continue;
          }
          readString(inp, ref, STREAM_ID_BYTES);
          if (ref.len !== STREAM_ID_BYTES || ref.kind !== STR_RAW) throw rdbIntegrity(`stream node key of ${ref.len} bytes (a stream ID is 16)`, ref.offset);
        {
          const idAt = ref.start;
          readString(inp, ref, LIMITS.blob);
          if (headerCount('listpack', stringHead(inp, ref, COMPACT_HEAD_BYTES), ref.len, ref.offset) === 0) throw rdbIntegrity('empty listpack inside a stream', ref.offset);
          blob(info, ctx, ref.len);
          this.nodeRax.add(inp.buf, idAt); // the window keeps the ID until the unit commits
        }
          this.left--;
          break;
        case Phase.Meta: {
          info.elements = readLen(inp);
          const ms = readLen64(inp);
          const seq = readLen64(inp);
          // First ID, max deleted ID, entries added: any 64-bit value (-1 included) is valid there.
          if (v2) for (let i = 0; i < 5; i++) skipLen(inp);
          info.lastId = `${ms}-${seq}`;
          this.phase = Phase.GroupCount;
          break;
        }
        case Phase.GroupCount:
          this.groupsLeft = readLen(inp);
          info.groups = this.groupsLeft;
          this.phase = Phase.Group;
          break;
        case Phase.Group:
          if (this.groupsLeft === 0) {
            this.phase = Phase.Done;
            continue;
          }
          readSmallString(inp, ref, LIMITS.small, 'consumer group name');
          skipLen(inp);
          skipLen(inp);
          if (v2) skipLen(inp); // entries read: -1 when unknown
          this.left = readLen(inp);
          info.pending += this.left;
          this.pelRax.reset();
          this.phase = Phase.GroupPel;
          break;
        case Phase.GroupPel:
          if (this.left === 0) {
            info.pelRaxNodes += this.pelRax.nodes;
            this.phase = Phase.ConsumerCount;
            continue;
          }
        {
          inp.need(STREAM_ID_BYTES + 8);
          const idAt = inp.pos;
          inp.pos += STREAM_ID_BYTES + 8;
          skipLen(inp);
          this.pelRax.add(inp.buf, idAt);
        }
          this.left--;
          break;
        case Phase.ConsumerCount:
          this.consumersLeft = readLen(inp);
          info.consumers += this.consumersLeft;
          this.phase = Phase.Consumer;
          break;
        case Phase.Consumer:
          if (this.consumersLeft === 0) {
            this.groupsLeft--;
            this.phase = Phase.Group;
            continue;
          }
        {
          const nameBytes = readSmallString(inp, ref, LIMITS.small, 'stream consumer name').length;
          inp.need(v3 ? 16 : 8);
          inp.pos += v3 ? 16 : 8;
          this.left = readLen(inp);
          info.consumerNameBytes += nameBytes; // after every read of the unit: a retry must not count it twice
        }
          this.pelRax.reset();
          this.phase = Phase.ConsumerPel;
          break;
        case Phase.ConsumerPel:
          if (this.left === 0) {
            info.consumerPelRaxNodes += this.pelRax.nodes;
            this.consumersLeft--;
            this.phase = Phase.Consumer;
            continue;
          }
          inp.need(STREAM_ID_BYTES);
          this.pelRax.add(inp.buf, inp.pos);
          inp.pos += STREAM_ID_BYTES;
          this.left--;
          break;
        case Phase.Done:
          return;
      }
      inp.commit();
    }
  }
}
