"""Small answer builders shared by the instrument tests."""

from dendrite.instruments import loader


def answers_totalling(code: str, total: int) -> list[int]:
    """Option scores, in item order, that add up to ``total`` (highest scores first)."""
    choices = [loader.answer_scores(code, link_id) for link_id in loader.item_order(code)]
    choices = [scores for scores in choices if scores]

    def fill(index: int, remaining: int) -> list[int] | None:
        if index == len(choices):
            return [] if remaining == 0 else None
        room_after = sum(max(scores) for scores in choices[index + 1 :])
        for score in sorted(choices[index], reverse=True):
            if score <= remaining and remaining - score <= room_after:
                rest = fill(index + 1, remaining - score)
                if rest is not None:
                    return [score, *rest]
        return None

    answers = fill(0, total)
    if answers is None:
        raise ValueError(f"no {code} answers add up to {total}")
    return answers


def audit(*scores: int) -> list[int]:
    """AUDIT answers: the given scores for the first questions, 0 for the rest."""
    return [*scores, *[0] * (10 - len(scores))]


def pcl5(**ratings: int) -> list[int]:
    """PCL-5 answers: every item 0 except the ones given as q<n>=rating."""
    return [ratings.get(f"q{n}", 0) for n in range(1, 21)]
