"""Printing through the proxy to the ESC/POS printer simulator, as the POS does it.

The POS sends ``/hw_proxy/default_printer_action`` with the receipt rendered 512 px wide as a base64
JPEG; the printer must get a raster image the width of its paper (384 dots on 58 mm, 576 on 80 mm)
with the logo, the lines and the total where they were, then a cut. A printer that cannot print
makes the proxy answer a falsy result, which the POS turns into its retry / browser-print dialog.
"""

import os

import pytest
from PIL import Image, ImageDraw
from proxy_testkit import jpeg_b64, wait_until

from clever_proxy.printers import decode_status
from clever_proxy.receipt import find_font

LINES = [
    "ТОО «Clever Дүкен», Алматы",
    "БСН 960419351140   Касса №1",
    "Нан / Хлеб         2 x 250 = 500 ₸",
    "Сүт / Молоко 1 л   1 x 650 = 650 ₸",
    "Қант / Сахар 1 кг  1 x 350 = 350 ₸",
    "ҚҚС 16% / НДС 16%:        206,90 ₸",
]
TOTAL = "БАРЛЫҒЫ / ИТОГО  1 500 ₸"


def make_receipt():
    """A 512 px receipt like the POS renders: logo block, lines, a big total; returns boxes."""
    font, unicode_font = find_font(22)
    assert unicode_font, "a TrueType font with Cyrillic letters is needed (fonts-dejavu)"
    big, _ = find_font(34)
    image = Image.new("RGB", (512, 560), "white")
    draw = ImageDraw.Draw(image)
    boxes = {"logo": (156, 16, 356, 96)}
    draw.rectangle(boxes["logo"], fill="black")
    draw.text((190, 36), "CLEVER", font=big, fill="white")
    y = 120
    for index, line in enumerate(LINES):
        draw.text((12, y), line, font=font, fill="black")
        boxes[f"line{index}"] = draw.textbbox((12, y), line, font=font)
        y += 40
    draw.line((12, y, 500, y), fill="black", width=2)
    y += 20
    draw.text((12, y), TOTAL, font=big, fill="black")
    boxes["total"] = draw.textbbox((12, y), TOTAL, font=big)
    draw.text((12, y + 70), "Рахмет! Спасибо за покупку!", font=font, fill="black")
    boxes["thanks"] = draw.textbbox((12, y + 70), "Рахмет! Спасибо за покупку!", font=font)
    return image, boxes


def ink(image, box):
    """Share of black pixels of an "L" image inside box (x0, y0, x1, y1)."""
    region = image.crop(box)
    histogram = region.point(lambda v: 255 if v < 128 else 0).histogram()
    return histogram[255] / max(1, region.width * region.height)


def save_artifact(tmp_path, printed, name):
    folder = os.environ.get("CLEVER_PROXY_ARTIFACTS") or str(tmp_path)
    os.makedirs(folder, exist_ok=True)
    return printed.save_png(os.path.join(folder, name))


@pytest.mark.parametrize("paper,dots", [(80, 576), (58, 384)])
def test_receipt_printed_at_paper_width_with_logo_lines_and_total(make_proxy, printer_sim, tmp_path, paper, dots):
    printer = printer_sim(paper_dots=dots)
    proxy = make_proxy(printers={"receipt": {"kind": "network", "address": printer.address, "paper": paper}})
    source, boxes = make_receipt()

    result = proxy.client.result(
        "/hw_proxy/default_printer_action", {"data": {"action": "print_receipt", "receipt": jpeg_b64(source)}}
    )
    assert result["result"] is True and result["code"] == "printed"

    job = printer.wait_for_jobs(1)[0]
    assert job.status_requests[:1] == [1], "the proxy asks the printer's status before printing"
    assert set(job.raster_widths) == {dots}, "every raster band is exactly the paper width"
    assert len(job.receipts) == 1 and job.cuts == 1
    printed = job.receipts[0].image
    png = save_artifact(tmp_path, job.receipts[0], f"receipt_{paper}mm.png")
    assert Image.open(png).width == dots

    scale = dots / 512
    raster_height = round(source.height * scale)
    assert printed.width == dots and printed.height >= raster_height

    def scaled(box, pad=0):
        x0, y0, x1, y1 = box
        return (int(x0 * scale), int(y0 * scale) + pad, int(x1 * scale), int(y1 * scale) - pad)

    # the logo block is solid black (with its white letters), where it was, scaled
    assert ink(printed, scaled(boxes["logo"], 2)) > 0.6
    assert ink(printed, (0, 0, dots, int(12 * scale))) == 0, "nothing above the logo"
    # each line and the total carry ink; the gaps between lines are blank paper
    for name in [f"line{i}" for i in range(len(LINES))] + ["total", "thanks"]:
        assert ink(printed, scaled(boxes[name])) > 0.04, name
    for index in range(len(LINES) - 1):
        gap = (0, int(boxes[f"line{index}"][3] * scale) + 2, dots, int(boxes[f"line{index + 1}"][1] * scale) - 2)
        if gap[3] > gap[1]:
            assert ink(printed, gap) < 0.005, f"gap after line {index}"
    # the amount of the total is at the right of its line, as in the source
    total = scaled(boxes["total"])
    right_half = (total[0] + (total[2] - total[0]) // 2, total[1], total[2], total[3])
    assert ink(printed, right_half) > 0.04

    # overall: the print matches the source scaled independently (bilinear, plain threshold)
    reference = source.convert("L").resize((dots, raster_height), Image.Resampling.BILINEAR)
    reference = reference.point(lambda v: 0 if v < 150 else 255)
    printed_part = printed.crop((0, 0, dots, raster_height))
    same = sum(1 for a, b in zip(reference.getdata(), printed_part.getdata()) if (a < 128) == (b < 128))
    assert same / (dots * raster_height) > 0.97

    # the receipt ends with blank paper fed out before the cut
    assert ink(printed, (0, raster_height, dots, printed.height)) == 0


def test_cash_drawer_kick(make_proxy, printer_sim):
    printer = printer_sim()
    proxy = make_proxy(printers={"receipt": {"kind": "network", "address": printer.address, "drawer_pin": 2}})
    result = proxy.client.result("/hw_proxy/default_printer_action", {"data": {"action": "cashbox"}})
    assert result["result"] is True and result["code"] == "drawer_opened"
    job = printer.wait_for_jobs(1)[0]
    assert job.drawer_kicks == 1 and job.cuts == 0 and not job.raster_widths
    assert job.data == b"\x1bp\x0022", "ESC p 0 t1 t2: pulse on pin 2"


def test_printer_switched_off_gives_falsy_result_then_reprint_works(make_proxy, printer_sim):
    """The POS treats ``result: false`` as failure: its dialog offers retry and browser printing."""
    printer = printer_sim()
    proxy = make_proxy(printers={"receipt": {"kind": "network", "address": printer.address}})
    receipt = jpeg_b64(make_receipt()[0])
    printer.set_mode("unreachable")

    result = proxy.client.result("/hw_proxy/default_printer_action",
                                 {"data": {"action": "print_receipt", "receipt": receipt}})
    assert result["result"] is False and result["code"] == "printer_offline"
    status = proxy.client.result("/hw_proxy/status_json")
    assert status["printer"]["status"] == "disconnected" and status["printer"]["code"] == "printer_offline"

    printer.set_mode("online")  # switched back on: the same receipt reprints
    result = proxy.client.result("/hw_proxy/default_printer_action",
                                 {"data": {"action": "print_receipt", "receipt": receipt}})
    assert result["result"] is True
    assert len(printer.wait_for_jobs(1)[0].receipts) == 1
    assert proxy.client.result("/clever/printer/status")["status"] == "connected"


@pytest.mark.parametrize("mode,code", [("paper_out", "printer_paper_out"), ("offline", "printer_cover_open")])
def test_printer_out_of_paper_or_open_is_reported_and_nothing_printed(make_proxy, printer_sim, mode, code):
    printer = printer_sim(mode=mode)
    proxy = make_proxy(printers={"receipt": {"kind": "network", "address": printer.address}})
    result = proxy.client.result("/hw_proxy/default_printer_action",
                                 {"data": {"action": "print_receipt", "receipt": jpeg_b64(make_receipt()[0])}})
    assert result == {"result": False, "code": code, "message": result["message"], "printer": "receipt"}
    job = printer.wait_for_jobs(1)[0]
    assert not job.raster_widths, "no receipt bytes sent to a printer that cannot print"
    status = proxy.client.result("/hw_proxy/status_json")["printer"]
    assert status["status"] == "disconnected" and status["code"] == code and status["messages"]


def test_paper_low_still_prints_and_says_so(make_proxy, printer_sim):
    printer = printer_sim(mode="paper_low")
    proxy = make_proxy(printers={"receipt": {"kind": "network", "address": printer.address}})
    result = proxy.client.result("/hw_proxy/default_printer_action",
                                 {"data": {"action": "print_receipt", "receipt": jpeg_b64(make_receipt()[0])}})
    assert result["result"] is True and result["printer_status"] == "printer_paper_low"
    assert len(printer.wait_for_jobs(1)[0].receipts) == 1


def test_printer_without_status_answers_prints_and_is_not_asked_again(make_proxy, printer_sim):
    printer = printer_sim(mode="silent")
    proxy = make_proxy(printers={"receipt": {"kind": "network", "address": printer.address}})
    receipt = jpeg_b64(make_receipt()[0])
    for _ in range(2):
        assert proxy.client.result("/hw_proxy/default_printer_action",
                                   {"data": {"action": "print_receipt", "receipt": receipt}})["result"] is True
    first, second = printer.wait_for_jobs(2)
    assert first.status_requests == [1] and second.status_requests == []
    assert len(first.receipts) == len(second.receipts) == 1


def test_bad_receipt_and_unknown_action_and_no_printer(make_proxy, printer_sim):
    printer = printer_sim()
    proxy = make_proxy(printers={"receipt": {"kind": "network", "address": printer.address}})
    result = proxy.client.result("/hw_proxy/default_printer_action",
                                 {"data": {"action": "print_receipt", "receipt": "bm90IGFuIGltYWdl"}})
    assert result["result"] is False and result["code"] == "receipt_invalid"
    result = proxy.client.result("/hw_proxy/default_printer_action", {"data": {"action": "dance"}})
    assert result["result"] is False and result["code"] == "unknown_action"
    bare = make_proxy()
    result = bare.client.result("/hw_proxy/default_printer_action", {"data": {"action": "cashbox"}})
    assert result["result"] is False and result["code"] == "printer_not_configured"
    assert bare.client.result("/hw_proxy/status_json")["printer"]["status"] == "disconnected"


def test_test_page_button(make_proxy, printer_sim, tmp_path):
    printer = printer_sim(paper_dots=384)
    proxy = make_proxy(printers={"receipt": {"kind": "network", "address": printer.address, "paper": 58}})
    result = proxy.client.result("/clever/printer/test")
    assert result["result"] is True
    job = printer.wait_for_jobs(1)[0]
    page = job.receipts[0].image
    save_artifact(tmp_path, job.receipts[0], "test_page_58mm.png")
    assert set(job.raster_widths) == {384} and job.cuts == 1
    # border on both edges: the page uses the full printable width
    assert ink(page, (0, 30, 2, 60)) > 0.9 and ink(page, (382, 30, 384, 60)) > 0.9


def test_status_json_refreshes_in_background(make_proxy, printer_sim):
    printer = printer_sim()
    proxy = make_proxy(printers={"receipt": {"kind": "network", "address": printer.address}},
                       status_cache_seconds=0.0)
    first = proxy.client.result("/hw_proxy/status_json")["printer"]
    assert first["status"] in ("connecting", "connected")
    wait_until(lambda: proxy.client.result("/hw_proxy/status_json")["printer"]["status"] == "connected")
    printer.set_mode("unreachable")
    wait_until(lambda: proxy.client.result("/hw_proxy/status_json")["printer"]["status"] == "disconnected")


def test_status_bytes_decoding():
    assert decode_status(0x12, None, 0x12) == "printer_ok"
    assert decode_status(0x12, None, 0x1E) == "printer_paper_low"
    assert decode_status(0x1A, 0x32, 0x7E) == "printer_paper_out"
    assert decode_status(0x1A, 0x16, 0x12) == "printer_cover_open"
    assert decode_status(0x1A, 0x52, 0x12) == "printer_not_ready"
    assert decode_status(None, None, None) == "printer_ok"
    assert decode_status(0xFF, None, 0xFF) == "printer_ok", "garbage bytes are not status bytes"


def test_command_line_test_print(printer_sim, tmp_path, monkeypatch, capsys):
    import json

    from clever_proxy import cli

    printer = printer_sim()
    config_path = tmp_path / "proxy.json"
    config_path.write_text(json.dumps({"printers": {"receipt": {"kind": "network", "address": printer.address}}}))
    monkeypatch.setattr(cli, "is_privileged", lambda: False)
    assert cli.main(["--config", str(config_path), "test-print"]) == 0
    assert json.loads(capsys.readouterr().out)["code"] == "printed"
    assert printer.wait_for_jobs(1)[0].raster_widths[0] == 576
    printer.set_mode("paper_out")
    assert cli.main(["--config", str(config_path), "test-print"]) == 1
    assert json.loads(capsys.readouterr().out)["code"] == "printer_paper_out"
