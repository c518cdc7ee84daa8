"""Forms for taking a track: a practical task's evidence, and a quiz."""

from __future__ import annotations

import re

from django import forms

from training.services.learning import EVIDENCE_MAX_LENGTH, correct_options

QUESTION_FIELD = re.compile(r"^q(\d{1,18})$")


class TaskEvidenceForm(forms.Form):
    evidence = forms.CharField(
        label="What you did and what you learned",
        max_length=EVIDENCE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=f"A short reflection or your evidence, up to {EVIDENCE_MAX_LENGTH} characters.",
        error_messages={"required": "Write what you did and what you learned."},
    )


class QuizForm(forms.Form):
    """One field per question, named `q<question id>` with option ids as values: radio buttons
    where one option is right, checkboxes where several are. Which ones are right is decided
    here, on the server, and never written into the page: every option renders alike."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for number, question in enumerate(self.questions, 1):
            choices = [(str(o.pk), o.text) for o in question.options.all()]
            several = len(correct_options(question)) > 1
            kind = forms.MultipleChoiceField if several else forms.ChoiceField
            widget = forms.CheckboxSelectMultiple if several else forms.RadioSelect
            field = kind(
                label=f"{number}. {question.text}",
                choices=choices,
                widget=widget,
                help_text="Choose every right answer." if several else "Choose one answer.",
                error_messages={
                    "required": "Answer this question.",
                    "invalid_choice": "That answer is not one of this question's options.",
                },
            )
            field.several = several
            self.fields[f"q{question.pk}"] = field

    def clean(self):
        cleaned = super().clean()
        extra = [
            key
            for key in (self.data.keys() if self.is_bound else [])
            if QUESTION_FIELD.match(key) and key not in self.fields
        ]
        if extra:
            raise forms.ValidationError("One of the answers is for a question not in this quiz.")
        return cleaned

    def answers(self) -> dict[int, list[int]]:
        """{question id: [option ids]} from the valid form, for `quiz_attempt_submit`."""
        answers = {}
        for name, value in self.cleaned_data.items():
            values = value if isinstance(value, list) else [value]
            answers[int(name[1:])] = [int(v) for v in values]
        return answers
