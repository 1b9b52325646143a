"""python -m dynamodb_kit_tools.cost COMMAND ...

    advise PROFILE [--budget 0.001] [--plot advice.png] [--month 2026-02]
        every mode's monthly cost, the advice, the reasons and the kit code
    compare PROFILE... [--brute-force]
        one Markdown row per profile: the advice, on-demand's cost, and with
        --brute-force the optimum of an exhaustive search of the same space
    prices [--region us-east-1] [--on 2024-10-31]
        a snapshot's prices and the break-even utilisation computed from them
    rebuild-prices OFFER_FILE --region eu-west-1 [--out DIR]
        write a snapshot from an AWS Price List offer file
    stack CDK_TF_JSON --usage USAGE.toml
        a synthesized stack's monthly cost per resource
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from dynamodb_kit.core.errors import ValidationError

from . import prices
from .advisor import DEFAULT_BUDGET, advise
from .estimate import Month


def _month(text: str) -> Month:
    year, month = text.split("-")
    return Month(int(year), int(month))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dynamodb_kit_tools.cost",
                                     description="DynamoDB capacity and cost: advice, prices, stack estimates")
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("advise", help="the cheapest configuration of one profile")
    one.add_argument("profile")
    many = commands.add_parser("compare", help="the advice for several profiles, as a Markdown table")
    many.add_argument("profiles", nargs="+")
    many.add_argument("--brute-force", action="store_true", help="also search the whole space")
    for sub in (one, many):
        sub.add_argument("--budget", type=float, default=DEFAULT_BUDGET,
                         help="share of requested units that may be throttled (default 0.001, 0.1%%)")
        sub.add_argument("--month", type=_month, default=Month(), help="a calendar month YYYY-MM (default 730 hours)")
    one.add_argument("--plot", help="draw the week into this PNG file")
    show = commands.add_parser("prices", help="a snapshot's prices and break-even utilisation")
    show.add_argument("--region", default="us-east-1")
    show.add_argument("--on", type=dt.date.fromisoformat, help="the snapshot in force on this date")
    rebuild = commands.add_parser("rebuild-prices", help="a snapshot from an AWS Price List offer file")
    rebuild.add_argument("offer")
    rebuild.add_argument("--region", required=True)
    rebuild.add_argument("--out", default=str(prices.SNAPSHOT_DIR))
    stack = commands.add_parser("stack", help="a synthesized stack's monthly cost per resource")
    stack.add_argument("stack_json")
    stack.add_argument("--usage", required=True)
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except ValidationError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "advise":
        from .report import advice_text

        advice = advise(args.profile, budget=args.budget, month=args.month)
        print(advice_text(advice))
        if args.plot:
            from .plot import plot

            print(f"plot: {plot(advice, args.plot)}")
    elif args.command == "compare":
        from .report import compare_text

        print(compare_text([advise(p, budget=args.budget, month=args.month) for p in args.profiles],
                           brute=args.brute_force))
    elif args.command == "prices":
        _show_prices(prices.load(args.region, args.on))
    elif args.command == "rebuild-prices":
        from .price_list import rebuild

        print(f"wrote {rebuild(Path(args.offer), args.region, Path(args.out))}")
    elif args.command == "stack":
        from .stack_costs import estimate_file, stack_text

        print(stack_text(estimate_file(Path(args.stack_json), Path(args.usage))))
    return 0


def _show_prices(snapshot: prices.Snapshot) -> None:
    print(f"{snapshot.region} ({snapshot.location}), in force from {snapshot.effective}: {snapshot.file}")
    print(f"source: {snapshot.source}")
    for usage_type, entry in snapshot.prices.items():
        print(f"  {usage_type:<36} ${entry['usd']:<12.10g} {entry['unit']}  [{entry.get('basis', '')}]")
    for kind in ("write", "read"):
        print(f"break-even utilisation ({kind}s, Standard): provisioned beats on-demand above "
              f"{snapshot.break_even_utilisation(kind) * 100:.1f}% average use")


if __name__ == "__main__":
    sys.exit(main())
