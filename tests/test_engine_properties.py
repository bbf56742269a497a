"""Any input in any state gets a reply, never raises, and leaves a session that round-trips."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dialogs import engine
from dialogs.model import EffectResult, UserInput
from dialogs.pack import load_builtin

PACK = load_builtin("national-2018")

TOKENS = sorted(
    {"share", "consent", "danger", "dsl", "rules", "yes", "no", "not_sure", "why", "back", "restart", "menu",
     "help", "resume", "record", "confirm", "edit", "cancel", "retry", "correct", "my_records", "org_records",
     "fact", "opinion", "secure_email", "no_risk", "not_yet", "public_task", "consent", "edit:info_type",
     "edit:method", "open:ISR-2026-000001", "risk_of_harm", "__text__"}
    | {a.id for n in PACK.nodes.values() for a in n.answers}
)
typed = st.one_of(
    st.sampled_from(["yes", "no", "1", "2", "3", "9", "not sure", "999", "back", "restart", "help", "rules",
                     "record", "confirm", "retry", "my records", "open ISR-2026-000001", "", "   ", "why"]),
    st.text(max_size=40),
)
submit = st.one_of(
    st.builds(lambda c: {"choice": c}, st.sampled_from(TOKENS)),
    st.builds(lambda t: {"choice": "__text__", "text": t}, st.text(max_size=30)),
    st.dictionaries(st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=5), st.none()), max_size=3),
)
message = st.one_of(typed.map(lambda t: ("text", t)), submit.map(lambda v: ("value", v)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(message, st.booleans()), min_size=1, max_size=25))
def test_any_input_in_any_state_gets_a_reply(turns):
    state = None
    for (kind, payload), effect_ok in turns:
        inp = UserInput(text=payload) if kind == "text" else UserInput(value=payload)
        result = engine.step(PACK, state, inp)
        session, replies = result.session, list(result.replies)
        for effect in result.effects:
            data = {"reference": "ISR-2026-000001", "records": []} if effect_ok else {}
            session, more = engine.apply(PACK, session, EffectResult(effect, ok=effect_ok, data=data,
                                                                     error="" if effect_ok else "store_unavailable"))
            replies += more
        assert replies, f"no reply to {payload!r}"
        assert all(r.text or r.title for r in replies)
        state = json.loads(json.dumps(session.to_dict()))
