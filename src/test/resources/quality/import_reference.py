#!/usr/bin/env python3
"""Turns the 18 real conversations of the reference training file into fixture files.

Labels and notes are set by hand; rerunning keeps those already in the fixture files."""
import json, sys, os

src, out = sys.argv[1], sys.argv[2]
d = json.load(open(src))
for i, c in enumerate(d['conversations']):
    s = c['conversation_metadata']['scaffolding']
    turns = []
    for p in c['training_pairs']:
        if p['target_response']:
            turns.append({'role': 'assistant', 'content': p['target_response']})
        else:
            e = p['emotional_context']['detected_emotions']
            turns.append({'role': 'user', 'content': p['current_user_input'],
                          'emotion': {'primary': e['primary'], 'intensity': e['intensity']}})
    fx = {'id': 'real-%02d' % i, 'origin': 'reference/training-files/sample-18-conversations.json #%d %s' % (i, c['conversation_metadata']['conversation_id']),
          'persona': s['persona_key'], 'arc': s['emotional_arc_key'], 'topic': s['training_topic_key'],
          'labels': [], 'note': '', 'turns': turns}
    path = os.path.join(out, 'real-%02d.json' % i)
    if os.path.exists(path):
        old = json.load(open(path))
        fx['labels'], fx['note'] = old['labels'], old['note']
    json.dump(fx, open(path, 'w'), indent=1, ensure_ascii=False)
