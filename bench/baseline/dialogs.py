"""The flowchart as botbuilder-dialogs, in the style of the Bot Framework samples.

MainDialog (ComponentDialog + WaterfallDialog) shows the menu, runs QuestionDialog (one ChoicePrompt a
question, looping with replace_dialog as in sample 43.complex-dialog), shows the outcome, and runs
RecordDialog (TextPrompt / ChoicePrompt per field, ConfirmPrompt to save). Question and outcome texts
come from the same policy pack YAML ShareSafe uses, so both bots ask the same questions; the record
form covers the fields of the benchmarked path (a decision to share), with ShareSafe's wording.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml
from botbuilder.core import MessageFactory, Storage
from botbuilder.dialogs import ComponentDialog, DialogTurnResult, WaterfallDialog, WaterfallStepContext
from botbuilder.dialogs.choices import Choice
from botbuilder.dialogs.prompts import ChoicePrompt, ConfirmPrompt, PromptOptions, TextPrompt

PACK_FILE = Path(__file__).resolve().parents[2] / "dialogs" / "packs" / "national-2018.yaml"

NO_IDENTIFIERS = "Don't include names, dates of birth, addresses or anything that identifies the child or family."
WELCOME_CHOICES = ["share", "consent", "danger", "dsl", "rules"]
OUTCOME_CHOICES = ["record", "dsl", "back", "restart"]
# (field, prompt, choices or None for free text): the record fields asked on the benchmarked path.
RECORD_FIELDS: list[tuple[str, str, list[str] | None]] = [
    ("info_type", "What information? Give the type, not the details (e.g. attendance concerns). " + NO_IDENTIFIERS, None),
    ("fact_or_opinion", "Is it fact, opinion, or both?", ["fact", "opinion", "both"]),
    ("recipient_role", "Who did you share it with? Give their role. " + NO_IDENTIFIERS, None),
    ("recipient_org", "Which organisation are they in? " + NO_IDENTIFIERS, None),
    ("purpose", "What is the purpose of sharing? " + NO_IDENTIFIERS, None),
    ("method", "How did you share it?", ["secure_email", "phone", "in_person", "mash_form", "other"]),
    ("individual_informed", "Was the person told it was shared?", ["yes", "no_risk", "not_yet"]),
    ("receipt_confirmed", "Did the recipient confirm they got it?", ["yes", "no", "not_yet"]),
    ("request_asked", "Were you asked for this information?", ["yes", "no"]),
    ("risk_level", "At the time, what level of risk of harm did you see?",
     ["no_concern", "early_help", "significant_harm", "immediate_danger", "not_sure"]),
    ("lawful_basis", "What is the lawful basis for sharing?",
     ["consent", "legal_obligation", "vital_interests", "public_task", "not_personal_data"]),
    ("special_category", "Does it include special category data, such as health?", ["yes", "no"]),
]


def load_flowchart(path: Path = PACK_FILE) -> dict[str, Any]:
    """The pack's entries and nodes (question text and answers -> next node; outcome title and text)."""
    with open(path, encoding="utf-8") as fh:
        pack = yaml.safe_load(fh)
    nodes = {}
    for node_id, node in pack["nodes"].items():
        answers = {str(k).lower() if isinstance(k, bool) else str(k): (v["next"] if isinstance(v, dict) else v)
                   for k, v in (node.get("answers") or {}).items()}
        # YAML reads yes/no keys as booleans.
        answers = {({"true": "yes", "false": "no"}.get(k, k)): v for k, v in answers.items()}
        nodes[node_id] = {"type": node["type"], "text": " ".join(str(node.get("text", "")).split()),
                          "title": node.get("title", ""), "answers": answers}
    return {"entries": pack["entries"], "nodes": nodes, "welcome": pack["messages"]["welcome"]["text"]}


class QuestionDialog(ComponentDialog):
    """Asks one flowchart question; replaces itself with the next question, or ends with the outcome id."""

    def __init__(self, flowchart: dict[str, Any]) -> None:
        super().__init__(QuestionDialog.__name__)
        self.flowchart = flowchart
        self.add_dialog(WaterfallDialog("question", [self.ask_step, self.next_step]))
        self.add_dialog(ChoicePrompt(ChoicePrompt.__name__))
        self.initial_dialog_id = "question"

    async def ask_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        node_id = step.options["node"]
        step.values["node"] = node_id
        node = self.flowchart["nodes"][node_id]
        return await step.prompt(ChoicePrompt.__name__, PromptOptions(
            prompt=MessageFactory.text(node["text"]),
            choices=[Choice(a) for a in node["answers"]],
        ))

    async def next_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        node = self.flowchart["nodes"][step.values["node"]]
        following = node["answers"][step.result.value]
        answers = list(step.options.get("answers", [])) + [[step.values["node"], step.result.value]]
        if self.flowchart["nodes"][following]["type"] == "question":
            return await step.replace_dialog(QuestionDialog.__name__, {"node": following, "answers": answers})
        return await step.end_dialog({"outcome": following, "answers": answers})


class RecordDialog(ComponentDialog):
    """Asks each record field, shows a summary, saves the record to storage on Confirm."""

    _numbers = itertools.count(1)

    def __init__(self, storage: Storage) -> None:
        super().__init__(RecordDialog.__name__)
        self.storage = storage
        steps = [self._field_step(i) for i in range(len(RECORD_FIELDS))] + [self.summary_step, self.save_step]
        self.add_dialog(WaterfallDialog("record", steps))
        self.add_dialog(TextPrompt(TextPrompt.__name__))
        self.add_dialog(ChoicePrompt(ChoicePrompt.__name__))
        # Default yes/no recognition; the card's Confirm / Cancel buttons are mapped to yes / no in
        # DialogBot. (Custom confirm_choices are unreliable in botbuilder-python 4.17: ConfirmPrompt
        # puts them in a set and takes the matched index as True/False, so the result depends on
        # object addresses, i.e. on the process.)
        self.add_dialog(ConfirmPrompt(ConfirmPrompt.__name__))
        self.initial_dialog_id = "record"

    def _field_step(self, index: int):
        async def step_fn(step: WaterfallStepContext) -> DialogTurnResult:
            if index > 0:  # keep the answer to the previous field
                self._keep(step, index - 1)
            name, prompt, choices = RECORD_FIELDS[index]
            if choices is None:
                return await step.prompt(TextPrompt.__name__, PromptOptions(prompt=MessageFactory.text(prompt)))
            return await step.prompt(ChoicePrompt.__name__, PromptOptions(
                prompt=MessageFactory.text(prompt), choices=[Choice(c) for c in choices]))
        step_fn.__name__ = f"field_{RECORD_FIELDS[index][0]}"
        return step_fn

    @staticmethod
    def _keep(step: WaterfallStepContext, index: int) -> None:
        result = step.result
        step.values[RECORD_FIELDS[index][0]] = getattr(result, "value", result)

    async def summary_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        self._keep(step, len(RECORD_FIELDS) - 1)
        lines = "\n".join(f"{name}: {step.values[name]}" for name, _, _ in RECORD_FIELDS)
        return await step.prompt(ConfirmPrompt.__name__, PromptOptions(
            prompt=MessageFactory.text(f"Nothing is saved until you confirm.\n\n{lines}")))

    async def save_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        if not step.result:
            await step.context.send_activity(MessageFactory.text("Cancelled. Nothing was saved."))
            return await step.end_dialog()
        now = datetime.now(timezone.utc)
        reference = f"ISR-{now.year}-{next(self._numbers):06d}"
        record = {"reference": reference, "created_at": now.isoformat(), "options": step.options,
                  "fields": {name: step.values[name] for name, _, _ in RECORD_FIELDS}}
        await self.storage.write({f"records/{reference}": record})
        await step.context.send_activity(MessageFactory.text(
            f"Your record is saved as {reference}. Note the reference in your own case notes."))
        return await step.end_dialog(reference)


class MainDialog(ComponentDialog):
    """Menu -> questions -> outcome -> record."""

    def __init__(self, flowchart: dict[str, Any], storage: Storage) -> None:
        super().__init__(MainDialog.__name__)
        self.flowchart = flowchart
        self.add_dialog(QuestionDialog(flowchart))
        self.add_dialog(RecordDialog(storage))
        self.add_dialog(ChoicePrompt(ChoicePrompt.__name__))
        self.add_dialog(WaterfallDialog("main", [self.menu_step, self.entry_step, self.outcome_step,
                                                 self.record_step, self.final_step]))
        self.initial_dialog_id = "main"

    async def menu_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        return await step.prompt(ChoicePrompt.__name__, PromptOptions(
            prompt=MessageFactory.text(self.flowchart["welcome"]), choices=[Choice(c) for c in WELCOME_CHOICES]))

    async def entry_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        entry = self.flowchart["entries"].get(step.result.value)
        if entry is None:  # the benchmark only walks "share"; other menu items end here
            await step.context.send_activity(MessageFactory.text("Not in this baseline."))
            return await step.end_dialog()
        return await step.begin_dialog(QuestionDialog.__name__, {"node": entry, "answers": []})

    async def outcome_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        step.values["decision"] = step.result
        node = self.flowchart["nodes"][step.result["outcome"]]
        return await step.prompt(ChoicePrompt.__name__, PromptOptions(
            prompt=MessageFactory.text(f"{node['title']}\n\n{node['text']}"),
            choices=[Choice(c) for c in OUTCOME_CHOICES]))

    async def record_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        if step.result.value != "record":
            return await step.end_dialog()
        return await step.begin_dialog(RecordDialog.__name__, step.values["decision"])

    async def final_step(self, step: WaterfallStepContext) -> DialogTurnResult:
        return await step.end_dialog(step.result)
