"""Predictions: the learner commits to a guess in a cell of its own, before the answer is shown.

A prediction cell records the guess; the cell that computes the answer then compares. A guess
recorded after the answer was shown is kept, and said to be late.

>>> forget()
>>> predict("distinct neurons in layer 1", 8)
Recorded your prediction for 'distinct neurons in layer 1': 8.
>>> reveal("distinct neurons in layer 1", 1)
You predicted 8 for 'distinct neurons in layer 1'; it is 1: not quite.
1

An estimate is right when it is within `within` of the answer:

>>> predict("the first step at 95%", 100)
Recorded your prediction for 'the first step at 95%': 100.
>>> reveal("the first step at 95%", 112, within=20)
You predicted 100 for 'the first step at 95%'; it is 112: right.
112

A guess is read as a person means it: "SGD" for "sgd", "True" for True, [5, 4] for (5, 4).

>>> predict("the mode that wins", "SGD")
Recorded your prediction for 'the mode that wins': 'SGD'.
>>> reveal("the mode that wins", "sgd")
You predicted 'SGD' for 'the mode that wins'; it is 'sgd': right.
'sgd'

A cell that computes an answer before any prediction was made says so, and still shows it:

>>> reveal("the faster mode", "sgd")
No prediction was recorded for 'the faster mode': run its prediction cell first next time.
'sgd'
>>> predict("the faster mode", "batch")
Recorded your prediction for 'the faster mode': 'batch' (after the answer was shown).

The shipped notebooks leave every guess as None; predict() then asks for one:

>>> predict("the step", None)
No prediction yet for 'the step': replace None with your guess, run this cell, then go on.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["forget", "predict", "prediction", "reveal"]


@dataclass
class _Question:
    guess: object = None
    revealed: bool = False
    late: bool = False


_questions: dict[str, _Question] = {}


def predict(question: str, guess: object) -> None:
    """Record guess as the learner's answer to question (a short text naming what is guessed).

    None means no guess yet: it says so and records nothing.
    """
    _check_question(question)
    if guess is None:
        print(f"No prediction yet for {question!r}: replace None with your guess, run this "
              "cell, then go on.")
        return
    record = _questions.setdefault(question, _Question())
    record.guess, record.late = guess, record.revealed
    after = " (after the answer was shown)" if record.late else ""
    print(f"Recorded your prediction for {question!r}: {guess!r}{after}.")


def prediction(question: str) -> object:
    """The guess recorded for question, or None."""
    _check_question(question)
    return _questions.get(question, _Question()).guess


def reveal(question: str, answer: object, *, within: float = 0.0) -> object:
    """Show the answer beside the recorded guess, mark question as answered, return answer.

    The guess is right when it equals answer, or for numbers when |guess - answer| <= within.
    """
    _check_question(question)
    record = _questions.setdefault(question, _Question())
    record.revealed = True
    if record.guess is None:
        print(f"No prediction was recorded for {question!r}: run its prediction cell first "
              "next time.")
    else:
        late = " (made after the answer was shown)" if record.late else ""
        verdict = "right" if _agrees(record.guess, answer, within) else "not quite"
        print(f"You predicted {record.guess!r}{late} for {question!r}; it is {answer!r}: "
              f"{verdict}.")
    return answer


def _agrees(guess: object, answer: object, within: float) -> bool:
    """guess says what answer says, read as a person means it: "SGD" is "sgd", "True" is True,
    "2" is 2.0, [5, 4] is (5, 4); a number within `within` of the answer is right."""
    guess, answer = _meant(guess), _meant(answer)
    if isinstance(guess, tuple) and isinstance(answer, tuple):
        return len(guess) == len(answer) and all(
            _agrees(g, a, within) for g, a in zip(guess, answer))
    if _is_number(guess) and _is_number(answer):
        return abs(guess - answer) <= within
    return type(guess) is type(answer) and guess == answer


def _meant(value: object) -> object:
    """A guess as a person means it: text stripped and in lower case, or the number or truth
    value it spells; a list as a tuple."""
    if isinstance(value, (list, tuple)):
        return tuple(value)
    if not isinstance(value, str):
        return value
    text = " ".join(value.split()).lower()
    if text in ("true", "false"):
        return text == "true"
    try:
        return float(text)
    except ValueError:
        return text


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def forget() -> None:
    """Drop every recorded prediction (a fresh start, as in a new kernel)."""
    _questions.clear()


def _check_question(question: object) -> None:
    if not isinstance(question, str) or not question.strip():
        raise TypeError(f"a prediction's question is a short text naming what is guessed, "
                        f"got {question!r}")
