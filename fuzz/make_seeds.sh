#!/usr/bin/env bash
# Regenerates the hand-written seed corpora in fuzz/corpus/<target>/ from protobuf text
# (protoc --encode) and JSON lines. Run from anywhere; rewrites only the seed-* files.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=fuzz/corpus
enc() { protoc -I proto --encode="$1" "$2"; }
mkdir -p $corpus/decode_record $corpus/event_json $corpus/review_rules $corpus/grpc_request \
  $corpus/json_validation

# decode_record: 8-byte big-endian position, then the stored EventRecord bytes.
be64() { printf "$(printf '\\x%02x' 0 0 0 0 0 0 0 "$1")"; }
record() {  # position, text of the rest of the record
  { be64 "$1"; echo "position: $1 $2" | enc irm.event.v1.EventRecord irm/event/v1/record.proto; } \
    > "$3"
}
record 1 'stream: "orders-1" revision: 0 id: "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10" type: "OrderPlaced" content_type: CONTENT_TYPE_JSON data: "{\"total\":12}" metadata { recorded_at_us: 1764460800000000 actor { name: "anonymous" role: "secretariat" } }' \
  $corpus/decode_record/seed-json
record 7 'stream: "review-KEN-2" revision: 3 id: "\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f\x20" type: "ReviewScheduled" content_type: CONTENT_TYPE_PROTOBUF data: "\n\n2026-01-05\x12\x03KEN\x18\x02 \x01*\x06Africa" metadata { recorded_at_us: 1 correlation_id: "c" custom_json: "{\"k\":1}" imported_from { position: 3 metadata { recorded_at_us: 2 } } }' \
  $corpus/decode_record/seed-protobuf
record 2 'stream: "x" type: "T" content_type: CONTENT_TYPE_JSON data: "not json \xff"' \
  $corpus/decode_record/seed-bad-json
{ be64 5; echo 'position: 6 stream: "s"' | enc irm.event.v1.EventRecord irm/event/v1/record.proto; } \
  > $corpus/decode_record/seed-wrong-position
printf '\0\0\0\0\0\0\0\x01\xff\xff\xff\xff' > $corpus/decode_record/seed-garbage

# event_json: lines of `irm export`.
cat > $corpus/event_json/seed-json <<'J'
{"position":1,"stream":"orders-1","revision":0,"id":"01020304-0506-0708-090a-0b0c0d0e0f10","type":"OrderPlaced","content_type":"json","recorded_at":"2026-11-30T10:00:00.123456Z","data":{"total":12,"items":["a","b"]},"metadata":{"actor":{"name":"anonymous","role":"secretariat"},"correlation_id":"c-1","custom":{"k":[1,2]}}}
J
cat > $corpus/event_json/seed-protobuf <<'J'
{"position":7,"stream":"review-KEN-2","revision":3,"id":"11121314-1516-1718-191a-1b1c1d1e1f20","type":"ReviewScheduled","content_type":"protobuf","recorded_at":"2026-01-05T00:00:00.000000Z","data":{"on":"2026-01-05","state":"KEN","cycle":2,"year":1,"region":"Africa"},"metadata":{"imported_from":{"position":3,"metadata":{"recorded_at":"2019-09-30T12:00:00.000000Z"}}}}
J
cat > $corpus/event_json/seed-base64 <<'J'
{"position":2,"stream":"x","revision":0,"id":"21222324-2526-2728-292a-2b2c2d2e2f30","type":"T","content_type":"unspecified","recorded_at":"1970-01-01T00:00:00.000000Z","data_base64":"/wAB","metadata":{"custom_base64":"AAE="}}
J
printf '2026-11-23T10:00:00+01:00' > $corpus/event_json/seed-timestamp
printf '{"position":-1,"stream":5}' > $corpus/event_json/seed-wrong-types

# review_rules: [type][flags][state][len lo][len hi][ReviewState][event].
rule() {  # type-index flags state-index, state text, event message, event text, file
  local state_file event_file
  state_file=$(mktemp); event_file=$(mktemp)
  echo "$4" | enc irm.event.v1.ReviewState irm/event/v1/review_state.proto > "$state_file"
  echo "$6" | enc "irm.event.v1.$5" irm/event/v1/review_events.proto > "$event_file"
  local len; len=$(stat -c %s "$state_file")
  { printf "$(printf '\\x%02x\\x%02x\\x%02x\\x%02x\\x%02x' "$1" "$2" "$3" $((len % 256)) $((len / 256)))"
    cat "$state_file" "$event_file"; } > "$7"
  rm -f "$state_file" "$event_file"
}
rule 0 2 0 '' ReviewScheduled 'on: "2026-01-05" year: 1' $corpus/review_rules/seed-schedule
rule 2 3 0 'state: "KEN" cycle: 2 region: "African States" year: 1 stage: "reviewers_drawn" reviewers: "NGA" reviewers: "FRA" draw_round: 1 scheduled_on: "2026-01-05" revision: 1' \
  ReviewLaunched 'on: "2026-02-01"' $corpus/review_rules/seed-launch
rule 20 3 0 'state: "KEN" cycle: 2 stage: "completed" year: 1 revision: 9' \
  NeedIdentified 'on: "2027-01-01" article: 6 category: "legal_advice" text: "drafting" priority: "high"' \
  $corpus/review_rules/seed-need
rule 7 3 1 'state: "FRA" cycle: 2 stage: "desk_review_completed" revision: 6' \
  CountryVisitHeld 'from: "2026-06-01" to: "2026-05-01"' $corpus/review_rules/seed-visit-backwards
rule 17 3 0 'state: "KEN" cycle: 2 stage: "launched" reviewers: "NGA" reviewers: "FRA" redraws_requested_by_state: 2' \
  ReviewerRedrawRequested 'slot: 3' $corpus/review_rules/seed-redraw

# grpc_request: [rpc index][request message]; one seed a row of the table below:
# rpc index|message in irm.api.v1|proto file in proto/irm/api/v1|seed name|request text.
while IFS='|' read -r index message proto name text; do
  { printf "$(printf '\\x%02x' "$index")"
    echo "$text" | enc "irm.api.v1.$message" "irm/api/v1/$proto.proto"; } \
    > "$corpus/grpc_request/seed-$name"
done <<'REQUESTS'
0|AppendRequest|log|append|stream: "fuzz-1" events { type: "Seeded" content_type: CONTENT_TYPE_JSON data: "{\"a\":1}" }
0|AppendRequest|log|append-bad|stream: "fuzz-1" expected_revision: 99 events { id: "not-a-uuid" type: "1bad" content_type: CONTENT_TYPE_JSON data: "{" }
0|AppendRequest|log|append-no-stream|stream: "fuzz-2" no_stream {} events { id: "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10" type: "Seeded" content_type: CONTENT_TYPE_UNSPECIFIED data: "{}" custom_json: "{\"k\":1}" }
1|ReadStreamRequest|log|read-stream|stream: "fuzz-1" backwards: true from_end: true limit: 3
2|ReadAllRequest|log|read-all|from_position: 1 limit: 10
3|GetStreamInfoRequest|log|stream-info|stream: "$all"
4|GetLogInfoRequest|log|log-info|
5|SubscribeRequest|log|subscribe|start: SUBSCRIBE_FROM_POSITION from_position: 1 stream_prefix: "fuzz-" checkpoint_interval: 1
5|SubscribeRequest|log|subscribe-unspecified|stream: "fuzz-1"
6|ReviewCommand|review|schedule|state: "KEN" cycle: 2 schedule { year: 1 }
6|ReviewCommand|review|bad-need|state: "KEN" cycle: 2 on: "2026-02-30" expected_revision: 7 add_need { article: 99 category: "x" }
7|DrawYearsRequest|review|draw-years|cycle: 2 seed: 42
8|DrawReviewersRequest|review|draw-reviewers|cycle: 2 year: 1 seed: 7
9|GetReviewRequest|review|get-review|state: "KEN" cycle: 2 as_of: "41"
10|ListReviewsRequest|review|list-reviews|cycle: 2 overdue_only: true as_of: "2030-01-01"
11|GetCountryProfileRequest|review|profile|state: "KEN"
12|GetPipelineRequest|review|pipeline|as_of: "2027-13-01"
13|NeedsReportRequest|report|needs|cycle: 2 dimensions { by: "region" } dimensions { by: "article" chapter: "III" } as_of: "2027-01-01" compare: "2026-01-01"
14|ListSubscriptionsRequest|admin|list-subscriptions|
15|ListProjectionsRequest|admin|list-projections|
16|RebuildProjectionRequest|admin|rebuild|name: "stream_stats"
17|BackupRequest|admin|backup|dir: "relative"
REQUESTS
# json_validation: event data as clients send it; escapes, long numbers, duplicate keys,
# a byte order mark, invalid JSON.
printf '{"state":"Ghana","cycle":2,"stage":"country_visit","reviewers":["Kenya","Norway"],"date":"2024-03-14","note":"visit held in Accra"}' \
  > $corpus/json_validation/seed-event
printf ' {\n\t"a" :\r [ 1 , -2, true, false, null, {}, [] ] ,"b":"caf\xc3\xa9 \xf0\x9f\x98\x80"}\n' \
  > $corpus/json_validation/seed-spaced
printf '{"e":"\\u00e9\\/\\n","n":[1.50,1E2,-0,12345678901234567890],"a":1,"a":2}' \
  > $corpus/json_validation/seed-fallback
printf '{"acct":12345678901234567890123,"rate":0.30000000000000000001,"x":1e400,"k\\u0061":1,"ka":2}' \
  > $corpus/json_validation/seed-duplicate-escaped
printf '\xef\xbb\xbf{"a":1}' > $corpus/json_validation/seed-bom
printf '{"a":[1,]}' > $corpus/json_validation/seed-invalid
printf '"\xed\xa0\x80\xc0\x80"' > $corpus/json_validation/seed-bad-utf8
echo "seeds written under $corpus"
