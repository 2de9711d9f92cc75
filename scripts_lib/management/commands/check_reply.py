import json

from django.core.management.base import BaseCommand

from scripts_lib.etiquette import check


class Command(BaseCommand):
    help = "Run the etiquette checker on a reply and print its findings."

    def add_arguments(self, parser):
        parser.add_argument("text")
        parser.add_argument("--json", action="store_true", help="print a JSON list of findings")

    def handle(self, *args, text, **options):
        findings = check(text)
        if options["json"]:
            payload = [finding.as_dict() for finding in findings]
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        if not findings:
            self.stdout.write("OK: no findings.")
            return
        for finding in findings:
            excerpt = text[finding.start : finding.end]
            line = f"{finding.rule} [{finding.start}:{finding.end}] “{excerpt}”: {finding.message}"
            if finding.suggestion is not None:
                line += f" → {finding.suggestion}"
            self.stdout.write(line)
