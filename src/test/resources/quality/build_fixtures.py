#!/usr/bin/env python3
"""Builds the constructed fixtures (c-*: planted defects, n-*: hard negatives) from clean real conversations.

Run from this directory after import_reference.py: python3 build_fixtures.py
Each fixture carries the labels of its base plus the defect planted into it.
"""
import json, copy

def load(i):
    return json.load(open('fixtures/real-%02d.json' % i))

def save(fx, fid, labels, note, base):
    fx = copy.deepcopy(fx)
    fx['id'] = fid
    fx['origin'] = 'constructed from ' + base['id']
    fx['labels'] = sorted(set(base['labels']) | set(labels))
    fx['note'] = note
    json.dump(fx, open('fixtures/%s.json' % fid, 'w'), indent=1, ensure_ascii=False)

def mutate(base_i, fid, labels, note, fn):
    base = load(base_i)
    fx = copy.deepcopy(base)
    fn(fx)
    save(fx, fid, labels, note, base)

def a(fx, k):  # k-th assistant turn
    return [t for t in fx['turns'] if t['role'] == 'assistant'][k]

def u(fx, k):
    return [t for t in fx['turns'] if t['role'] == 'user'][k]

def set_last_reply(text):
    def fn(fx):
        fx['turns'][-1]['content'] = fx['turns'][-1]['content'].rsplit('\n\n', 1)[0] + '\n\n' + text
    return fn

def cut(frac, extra=''):
    def fn(fx):
        t = fx['turns'][-1]['content']
        words = t.split(' ')
        fx['turns'][-1]['content'] = ' '.join(words[:int(len(words) * frac)]) + extra
    return fn

# --- truncated: planted
mutate(1, 'c-truncated-1', ['truncated'], 'last reply cut at a word boundary mid-sentence', cut(0.6, ' and the'))
mutate(10, 'c-truncated-2', ['truncated'], 'last reply ends with a trailing backslash', cut(0.7, ' \\'))
mutate(11, 'c-truncated-3', ['truncated'], 'open parenthesis', set_last_reply('Let us look at the guaranteed return (which at 3.25% is'))
mutate(15, 'c-truncated-4', ['truncated'], 'cut list item', set_last_reply('Here is the order I would go in:\n1. Ask for the base salary number first\n2. Then bring up the equity refresh and'))
mutate(16, 'c-truncated-5', ['truncated'], 'ends on a colon', set_last_reply('Before you make the call, here are the three numbers to have ready:'))
mutate(1, 'c-truncated-6', ['truncated'], 'open curly quotation', set_last_reply('You could open with something like “I am really excited about this role, and I want to make sure the package reflects'))
mutate(10, 'c-truncated-7', ['truncated'], 'cut mid-word after a comma', cut(0.45, ','))
# --- truncated: hard negatives
mutate(1, 'n-ends-list', [], 'ends with a complete list without closing punctuation', set_last_reply('The three things to bring to the call:\n- your target base salary\n- the RSU refresh you want\n- the start date that works for you'))
mutate(10, 'n-ends-emoji', [], 'ends with an emoji', set_last_reply('Let me know how the conversation goes, I am rooting for you 💪'))
mutate(11, 'n-ends-closing-quote', [], 'ends with a closing quote', set_last_reply('When you sit down with Sarah tonight, try opening with: "I want a plan that lets both of us sleep at night."'))
mutate(15, 'n-ends-quote-no-period', [], 'ends with a closing quote, no full stop', set_last_reply('A line that works well on the call: "I am excited about this offer and I would like to talk about the base"'))
mutate(16, 'n-ends-parenthesis', [], 'ends with a balanced parenthesis', set_last_reply('Take the evening to rest before you call them (you have already done the hard part)'))
mutate(1, 'n-ends-exclamation', [], 'ends with an exclamation mark', set_last_reply('I am so proud of the work you did here today, Marcus!'))
# --- format
def assistant_first(fx):
    fx['turns'].insert(0, {'role': 'assistant', 'content': 'Hello, I am Elena. What brings you here today?'})
    fx['turns'].append({'role': 'user', 'content': 'Thanks, that helps a lot.', 'emotion': {'primary': 'clarity', 'intensity': 0.8}})
mutate(10, 'c-role-order-1', ['role_order'], 'assistant speaks first', assistant_first)
def two_users(fx):
    t = fx['turns']
    t.insert(2, {'role': 'user', 'content': 'Also, sorry, one more thing I forgot to mention about the offer letter.', 'emotion': {'primary': 'uncertainty', 'intensity': 0.6}})
    t.pop()
mutate(15, 'c-role-order-2', ['role_order'], 'two user turns in a row', two_users)
mutate(16, 'c-role-order-3', ['role_order'], 'final reply dropped', lambda fx: fx['turns'].pop())
mutate(11, 'c-empty-1', ['empty_turn'], 'empty assistant turn', lambda fx: a(fx, 1).update(content=''))
mutate(1, 'c-empty-2', ['empty_turn'], 'whitespace-only user turn', lambda fx: u(fx, 2).update(content='   \n '))
mutate(10, 'c-markup-1', ['markup_leak'], 'JSON in the reply', lambda fx: a(fx, 1).update(content=a(fx, 1)['content'] + '\n\n{"role": "assistant", "phase": "exploration", "content": "next"}'))
mutate(15, 'c-markup-2', ['markup_leak'], 'markdown headers', lambda fx: a(fx, 1).update(content='## Your situation\n\n' + a(fx, 1)['content']))
mutate(16, 'c-markup-3', ['markup_leak'], 'code fence', lambda fx: a(fx, 2).update(content=a(fx, 2)['content'] + '\n\n```\nbase: 150000\nrsu: 40000\n```'))
mutate(11, 'c-markup-4', ['markup_leak'], 'markdown table', lambda fx: a(fx, 1).update(content=a(fx, 1)['content'] + '\n\n| option | monthly |\n|---|---|\n| mortgage | $1,500 |'))
# --- turn count
def one_exchange(fx):
    fx['turns'] = fx['turns'][:2]
mutate(10, 'c-turn-count-1', ['turn_count'], 'a single exchange; the arc takes 2-5', one_exchange)
def six_exchanges(fx):
    extra = copy.deepcopy(fx['turns'][2:6])
    fx['turns'] = fx['turns'] + extra
mutate(1, 'c-turn-count-2', ['turn_count', 'repeated_ngram', 'repeated_opening', 'arc_mismatch'], '12 turns (6 exchanges, copied): too many; the copies repeat and end the arc in cautious optimism', six_exchanges)
# --- repetition
def copy_passage(fx):
    src = a(fx, 0)['content'].split(' ')
    passage = ' '.join(src[20:45])
    a(fx, 2).update(content=a(fx, 2)['content'] + ' ' + passage + '.')
mutate(10, 'c-repeated-ngram-1', ['repeated_ngram'], '25-word passage of reply 1 repeated in reply 3', copy_passage)
mutate(11, 'c-repeated-ngram-2', ['repeated_ngram'], 'same passage twice in one reply', lambda fx: a(fx, 1).update(content=a(fx, 1)['content'] + '\n\n' + ' '.join(a(fx, 1)['content'].split(' ')[10:40])))
mutate(15, 'c-repeated-ngram-3', ['repeated_ngram'], 'reply 2 copies a long run of reply 1', lambda fx: a(fx, 1).update(content=' '.join(a(fx, 0)['content'].split(' ')[30:60]) + ' ' + a(fx, 1)['content']))
OPEN = 'I hear you, and what you are feeling makes complete sense.'
def same_openings(fx):
    for k in range(len([t for t in fx['turns'] if t['role'] == 'assistant'])):
        a(fx, k).update(content=OPEN + ' ' + a(fx, k)['content'])
mutate(1, 'c-repeated-opening-1', ['repeated_opening'], 'every reply opens with the same sentence', same_openings)
mutate(16, 'c-repeated-opening-2', ['repeated_opening'], 'every reply opens with the same sentence', same_openings)
def two_same(fx):
    a(fx, 0).update(content='That is a really important question. ' + a(fx, 0)['content'])
    a(fx, 2).update(content='That is a really important question. ' + a(fx, 2)['content'])
mutate(10, 'c-repeated-opening-3', ['repeated_opening'], 'replies 1 and 3 open alike', two_same)
def echo(k):
    def fn(fx):
        a(fx, k).update(content='So what you are saying is: ' + u(fx, k)['content'] + '\n\n' + a(fx, k)['content'])
    return fn
mutate(11, 'c-echo-1', ['echoes_user'], 'reply restates the whole user message', echo(1))
mutate(15, 'c-echo-2', ['echoes_user'], 'reply restates the whole user message', echo(0))
mutate(16, 'c-echo-3', ['echoes_user'], 'reply restates the whole user message', echo(2))
# --- persona (base 10/11/15 = David Chen 35 teacher married/partner $65-85K; 16 = Jennifer 42 f married w/ children $100-140K; 1 = Marcus 37 m single/married no kids $120-160K)
def say(k, text):
    return lambda fx: u(fx, k).update(content=u(fx, k)['content'] + ' ' + text)
mutate(10, 'c-persona-age', ['persona_mismatch'], 'age 29 vs 35', say(1, "For context, I'm 29 and just getting started."))
mutate(16, 'c-persona-income', ['persona_mismatch'], 'income $45k vs $100-140K', say(0, 'I make about $45k a year right now.'))
mutate(11, 'c-persona-occupation', ['persona_mismatch'], 'nurse vs teacher', say(0, 'As a nurse working night shifts, I never have time to think about this.'))
mutate(1, 'c-persona-gender', ['persona_mismatch'], 'woman vs male', say(1, 'As a woman in tech, I worry about how asking will come across.'))
mutate(16, 'c-persona-single', ['persona_mismatch'], 'single vs married with children', say(1, "I'm single, so it is all on me."))
mutate(1, 'c-persona-kids', ['persona_mismatch'], 'kids vs without kids', say(0, 'My two kids are starting school next year, so money feels tight.'))
mutate(15, 'c-persona-monthly', ['persona_mismatch'], '$12,000 a month = $144K vs $65-85K', say(1, 'Right now I make $12,000 a month before taxes.'))
mutate(10, 'c-persona-age-phrase', ['persona_mismatch'], '52-year-old vs 35', say(0, 'As a 52-year-old, I feel behind.'))
mutate(10, 'n-persona-career-years', [], "years into a career is not an age", say(2, "I'm 12 years into teaching and I'm 100% sure I want to stay."))
mutate(11, 'n-persona-parents-age', [], 'parents\' age, mortgage amount, partner allowed', say(0, 'My parents are 78 and 81, our mortgage is $310,000, and my wife is a nurse.'))
mutate(16, 'n-persona-consistent', [], 'facts matching the persona', say(0, "I'm 42, my husband and I have two kids, and I make $120,000 as a marketing manager."))
mutate(15, 'n-persona-offer-amount', [], 'an offer amount is not what the user makes', say(0, 'The new offer is $150,000, which is way more than anyone at my school earns.'))
# --- arc
def emo(k, primary, intensity=None):
    def fn(fx):
        e = u(fx, k if k >= 0 else len([t for t in fx['turns'] if t['role'] == 'user']) + k)['emotion']
        e['primary'] = primary
        if intensity is not None: e['intensity'] = intensity
    return fn
mutate(10, 'c-arc-start', ['arc_mismatch'], 'starts in joy, arc starts in confusion', emo(0, 'joy'))
mutate(11, 'c-arc-end', ['arc_mismatch'], 'ends in despair, arc ends in alignment', emo(-1, 'despair'))
def shame_up(fx):
    fx['arc'] = 'shame_to_acceptance'
    emo(0, 'shame', 0.5)(fx); emo(-1, 'relief', 0.95)(fx)
def shame_down(fx):
    fx['arc'] = 'shame_to_acceptance'
    emo(0, 'shame', 0.9)(fx); emo(-1, 'relief', 0.4)(fx)
mutate(15, 'c-arc-intensity', ['arc_mismatch'], 'intensity rises where the arc lowers it', shame_up)
mutate(15, 'n-arc-intensity', [], 'intensity falls as the arc says', shame_down)
mutate(16, 'n-arc-qualified', [], 'qualified emotions in family (engaged_clarity)', emo(-1, 'engaged_clarity'))
# --- topic drift
mutate(11, 'c-topic-1', ['topic_drift'], 'mortgage talk labelled long-term care', lambda fx: fx.update(topic='long_term_care'))
mutate(10, 'c-topic-2', ['topic_drift'], 'negotiation talk labelled long-term care', lambda fx: fx.update(topic='long_term_care'))
mutate(15, 'c-topic-3', ['topic_drift'], 'negotiation talk labelled long-term care', lambda fx: fx.update(topic='long_term_care'))
# --- voice
FACTS = ('Long-term care insurance premiums average $3,500 a year at age 55. A policy pays a daily benefit of about $150 for up to 3 years. '
         'Traditional policies are use-it-or-lose-it, hybrid policies return the premium. Here is what you need to compare: the benefit pool, the inflation rider and the waiting period.')
mutate(10, 'c-facts-first-1', ['facts_before_feelings'], 'first reply is facts only', lambda fx: a(fx, 0).update(content='The offer with RSUs is worth $40,000 a year if the stock holds. The other offer pays $12,000 more in base salary. Negotiating adds 5-10% on average. ' + a(fx, 0)['content']))
mutate(11, 'c-facts-first-2', ['facts_before_feelings'], 'first reply opens with numbers', lambda fx: a(fx, 0).update(content='At a 3.25% mortgage rate and 7% expected market returns, investing wins by roughly $90,000 over 15 years. ' + a(fx, 0)['content']))
mutate(16, 'c-facts-first-3', ['facts_before_feelings', 'no_permission'], 'first reply replaced by a fact sheet', lambda fx: a(fx, 0).update(content='Here is what the numbers say. Offer A pays $145,000 base. Offer B pays $132,000 base plus 0.1% equity. Step 1: compare the base. Step 2: value the equity at 10% of its paper value. Step 3: ask for 8% more than the higher base.'))
mutate(16, 'n-permission-asked', [], 'teaches, but asks first', lambda fx: a(fx, 0).update(content='First, it makes complete sense that you feel overwhelmed, this is a lot. Would it help if I walked you through how I compare offers? Here is what the numbers say. Offer A pays $145,000 base. Offer B pays $132,000 base plus 0.1% equity. Step 1: compare the base. Step 2: value the equity.'))
mutate(1, 'c-jargon-1', ['unexplained_jargon'], 'MAGI unexplained', lambda fx: a(fx, 1).update(content=a(fx, 1)['content'] + ' Also keep an eye on your MAGI, since it decides whether you can contribute to a Roth at all.'))
mutate(11, 'c-jargon-2', ['unexplained_jargon'], 'expense ratio unexplained', lambda fx: a(fx, 1).update(content=a(fx, 1)['content'] + ' Whatever fund you pick, keep the expense ratio low.'))
mutate(15, 'c-jargon-3', ['unexplained_jargon'], 'AMT unexplained', lambda fx: a(fx, 2).update(content=a(fx, 2)['content'] + ' Exercising those options early could trigger AMT, so we would plan the timing.'))
mutate(11, 'n-jargon-explained', [], 'expense ratio explained', lambda fx: a(fx, 1).update(content=a(fx, 1)['content'] + ' Whatever fund you pick, check its expense ratio, which is the yearly fee the fund takes out of your balance.'))
mutate(15, 'n-jargon-user-first', [], 'the user used AMT first', lambda fx: (u(fx, 1).update(content=u(fx, 1)['content'] + ' I already know AMT can bite when exercising ISOs, I looked into it.'), a(fx, 1).update(content=a(fx, 1)['content'] + ' Since you know AMT well, we can plan the timing together.')))
mutate(10, 'c-judgment-1', ['judgment'], 'you should have', lambda fx: a(fx, 1).update(content='Honestly, you should have negotiated your last offer too. ' + a(fx, 1)['content']))
mutate(11, 'c-judgment-2', ['judgment'], 'that was a mistake', lambda fx: a(fx, 2).update(content=a(fx, 2)['content'] + ' Taking that 30-year loan without comparing lenders was a big mistake, frankly.'))
mutate(16, 'c-judgment-3', ['judgment'], 'why didn\'t you', lambda fx: a(fx, 1).update(content='Why didn\'t you ask about the equity terms before? ' + a(fx, 1)['content']))
mutate(1, 'c-platitude-1', ['platitude'], 'it\'ll all work out', lambda fx: a(fx, 2).update(content=a(fx, 2)['content'] + ' Don\'t worry, it\'ll all work out in the end.'))
mutate(15, 'c-platitude-2', ['platitude'], 'everything happens for a reason', lambda fx: a(fx, 1).update(content='Everything happens for a reason. ' + a(fx, 1)['content']))
mutate(11, 'c-platitude-3', ['platitude'], 'money isn\'t everything', lambda fx: a(fx, 2).update(content=a(fx, 2)['content'] + ' At the end of the day, money isn\'t everything.'))
