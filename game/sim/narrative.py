"""How a round is told: its story lines, the headline among them, and the cause of each change.

The mechanics (``game.sim.mechanics``) decide every number; when a game is narrated they report
what happened to a ``Story``, which alone chooses the words and how much each line weighs
for the headline. A quiet game has no ``Story``, so none of these strings are ever built.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from game.model import Account, Card, Cause
from game.sim import rules


def money(k: float) -> str:
    """$k figures the way a person says them: $60k, $1.2M."""
    sign = "-" if k < 0 else ""
    k = abs(k)
    if k >= 1000:
        return f"{sign}${k / 1000:.1f}M"
    return f"{sign}${k:.0f}k"


@dataclass(slots=True)
class Story:
    """One round's lines and causes as they happen; the weightiest line is the headline.

    Weights are in $k-like terms, so a signed deal and a churned account compare fairly.
    """

    lines: list[str] = field(default_factory=list)
    causes: list[Cause] = field(default_factory=list)
    _headline: str = ""
    _weight: float = 0.0

    @property
    def headline(self) -> str:
        """The weightiest line, or the first when nothing weighed anything."""
        return self._headline or (self.lines[0] if self.lines else "")

    def say(self, line: str, weight: float = 0.0) -> None:
        """Add a line; it becomes the headline if it outweighs every line before it."""
        self.lines.append(line)
        if weight > self._weight:
            self._headline, self._weight = line, weight

    def cause(
        self, metric: str, amount: float, card_id: str = "", text: str = "", decision: str = ""
    ) -> None:
        """Record what moved a figure; a change of zero is left out."""
        if amount:
            self.causes.append(Cause(metric, amount, card_id, text, decision))

    # Market events.
    def market_news(self, card: Card) -> None:
        self.say(f"Market news: {card.title}.")

    def event_moved_arr(self, card: Card, name: str, delta: float) -> None:
        self.cause("arr", delta, card.id, f"{name}: {card.title}")

    def event_moved(self, card: Card, metric: str, delta: float) -> None:
        self.cause(metric, delta, card.id, card.title)

    # Building.
    def built(self, card: Card, debt: float) -> None:
        self.cause("tech_debt", debt, card.id, f"built {card.title}: shortcuts in its design", "build")

    def shipped(self, card: Card) -> None:
        self.say(f"Shipped {card.title} for {card.asker}.", 10.0)

    def paid_down(self, card: Card, paid: float) -> None:
        self.cause("tech_debt", -paid, card.id, f"built {card.title}: debt paid down", "build")
        if paid >= 0.5:
            self.say(f"{card.title}: -{paid:.0f} tech debt.", paid * 3.0)
        else:
            self.say(f"Built {card.title}: there was little debt left to pay down.")

    def delivers_value(self, card: Card, gained: float) -> None:
        self.cause("customer_value", gained, card.id, f"{card.title} delivers value", "build")

    def maintaining(self, card: Card, burden: bool) -> None:
        """The capacity a feature costs every round; a ``burden`` (a liability or custom work) is news."""
        maintenance = card.hidden.maintenance
        if burden:
            self.say(
                f"{card.title} will need upkeep every round from now on: less capacity for everything else.",
                maintenance * 20.0,
            )

    def rushed(self, points: int, debt: float, lost: float) -> None:
        text = f"rushed {points} point{_s(points)} past capacity"
        self.cause("tech_debt", debt, text=f"{text}: shortcuts", decision="build")
        self.cause("customer_value", -lost, text=f"{text}: bugs reached users", decision="build")
        self.say(
            f"Rushed {points} point{_s(points)} of work past capacity: +{debt:g} tech debt, "
            f"-{lost:.0f} customer value from bugs, and churn risk up this quarter.",
            points * 15.0,
        )

    def no_room(self, card: Card) -> None:
        self.say(
            f"No room to build {card.title} ({card.effort} point{_s(card.effort)}) this round: "
            "it was deferred.",
            12.0,
        )

    def unmaintained(self, points: int, debt: float) -> None:
        self.cause("tech_debt", debt, text=f"{points} point{_s(points)} of upkeep nobody had time for")
        self.say(
            f"Upkeep would take more than the team has left: {points} point{_s(points)} of it "
            f"went undone and rotted into +{debt:g} tech debt.",
            points * 12.0,
        )

    # Deals.
    def wrong_requirement(self, card: Card) -> None:
        self.say(
            f"Built {card.title} exactly as {card.asker} asked, but it wasn't what they needed: "
            f"the deal slipped and the feature stays as a liability.",
            card.deal_size * 1.2,
        )

    def signed(self, card: Card) -> None:
        self.cause("arr", card.deal_size, card.id, f"{card.asker} signed", "build")
        self.say(f"{card.asker} signed: +{money(card.deal_size)} ARR.", card.deal_size)

    def lost_to_competitor(self, card: Card) -> None:
        self.say(f"{card.asker} chose a competitor despite {card.title}.", card.deal_size * 0.8)

    def said_no(self, card: Card) -> None:
        self.say(f"Said no to {card.asker}: the deal is off, focus kept.", 5.0)

    def refused_request(self, card: Card) -> None:
        self.say(f"Said no to {card.asker}'s request for {card.title}: they feel ignored.", 8.0)

    def refused_improvement(self, card: Card) -> None:
        self.say(f"Said no to {card.title}.")

    # Waiting.
    def deferred(self, card: Card, rounds_left: int) -> None:
        who = f"{card.asker} waits" if card.asker else "it waits"
        more = f"{rounds_left} more round{_s(rounds_left)}"
        if card.kind.value == "request":
            self.say(f"Deferred {card.title}: {who}, getting restless ({more} at most).", 4.0)
        else:
            self.say(f"Deferred {card.title}: {who} ({more} at most).")

    def stopped_waiting(self, card: Card) -> None:
        self.say(f"{card.asker} stopped waiting and signed with a competitor.", card.deal_size * 0.5)

    def gave_up(self, card: Card) -> None:
        self.say(f"{card.asker} gave up waiting for {card.title}.", 30.0)

    def dropped(self, card: Card) -> None:
        self.say(f"{card.title} waited too long and was dropped.")

    def in_limbo(self, card: Card, debt: float) -> None:
        self.cause("tech_debt", debt, card.id, f"{card.title} left in limbo", "defer")

    # The end of the round.
    def cleaned_up(self, unused: int, paid: float) -> None:
        self.cause("tech_debt", -paid, text=f"{unused} unused point{_s(unused)} went into clean-up")

    def word_of_mouth(self, inbound: float) -> None:
        self.cause("arr", inbound, text="word of mouth from customer value")
        self.say(f"Word of mouth brought {money(inbound)} of new self-serve ARR.", inbound)

    def eroded(self, fading: float, quality: float, debt: float) -> None:
        self.cause("customer_value", -fading, text="the product ages: value fades without improvements")
        self.cause("customer_value", -quality, text=f"quality problems from {debt:.0f} tech debt")

    def pool_churned(self, pool: Account, lost: float, target: str, debt: float) -> None:
        self.cause("arr", -lost, text=f"{pool.name} churned")
        self.say(f"{pool.name}: -{money(lost)} ARR churned ({_why_pool(debt)}).", lost)

    def churned(self, acc: Account, target: str, debt: float, index: Mapping[str, Card]) -> None:
        why, card_id, decision = _why(acc, target, debt, index)
        self.cause("arr", -acc.arr, card_id, f"{acc.name} left: {why}", decision)
        self.say(f"{acc.name} left: -{money(acc.arr)} ARR ({why}).", acc.arr * 1.1)

    def cash(self, revenue: float, burn: float) -> None:
        self.cause("cash", revenue, text="a quarter of ARR collected")
        self.cause("cash", -burn, text="the quarter's burn")

    def out_of_cash(self, cash: float) -> None:
        self.say(f"Out of cash: {money(cash)}. The board wants a rescue plan.", 1e9)


def _s(n: float) -> str:
    return "" if n == 1 else "s"


def _why_pool(debt: float) -> str:
    return "quality problems" if debt > rules.DEBT_FREE_ALLOWANCE * 2 else "the usual turnover"


_DID = {"defer": "deferred", "no": "said no to"}


def _rounds(rounds: list[int]) -> str:
    """'round 4', 'rounds 4 and 5', 'rounds 3, 4 and 5'."""
    if len(rounds) == 1:
        return f"round {rounds[0]}"
    return f"rounds {', '.join(map(str, rounds[:-1]))} and {rounds[-1]}"


def _why(acc: Account, target: str, debt: float, index: Mapping[str, Card]) -> tuple[str, str, str]:
    """Why an account left, naming the decisions behind it: (reason, card id, decision)."""
    if acc.grievances and acc.neglect >= 1.0:
        told: dict[tuple[str, str], list[int]] = {}  # (card, what you did) -> rounds, the latest two asks
        for g in reversed(acc.grievances):
            key = (g.card_id, g.decision.value)
            if key not in told and len(told) == 2:
                break
            told.setdefault(key, []).insert(0, g.round_index + 1)
        said = [
            f"you {_DID[what]} {index[cid].title!r} in {_rounds(rounds)}"
            for (cid, what), rounds in reversed(told.items())
        ]
        last = acc.grievances[-1]
        return "they felt ignored: " + " and ".join(said), last.card_id, last.decision.value
    if acc.persona != target:
        sold = index.get(acc.sold_with)
        if sold is not None:
            return f"the product was never built for them; you sold them {sold.title!r}", sold.id, "build"
        return "the product was never built for them", "", ""
    if debt > rules.DEBT_FREE_ALLOWANCE * 2:
        return f"quality problems from {debt:.0f} tech debt", "", ""
    return "budget cuts", "", ""
