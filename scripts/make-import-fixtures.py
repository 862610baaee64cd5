#!/usr/bin/env python3
"""Makes the documents `tests/import.rs` imports, into tests/fixtures/import/.

    pip install python-docx pillow msoffcrypto-tool   # Debian: python3-docx python3-pil
    python3 scripts/make-import-fixtures.py

The same 公文-style report (绿水社区第一党支部“七一”主题党日活动情况报告) three ways:

- styled.docx: Title and Heading 1–3 styles, List Bullet / List Number lists, a table,
  a table with merged cells, a hyperlink, a footnote, three pictures (a 1200 px photo
  with a ▲ caption, an 800 px photo with alt text, a small logo), an EMF picture and a
  text box (both left out);
- plain.docx: the same content as WPS writes it: no heading style used (headings are
  typed 一、 （一） 1. in 黑体 and bold 仿宋), direct formatting only, the title centred
  and bold in 22 pt, body paragraphs indented with full-width spaces, blank paragraphs,
  and numeric style ids;
- libreoffice.docx: styled.docx saved again by LibreOffice (`soffice --convert-to`);

and the error cases: encrypted.docx (password 1234, an OLE file made by msoffcrypto-tool
as Word makes it), old.doc (a Word 97 file made by LibreOffice) and renamed.docx (the
same bytes named .docx), empty.docx.

The saved WeChat article (公众号文章.html, written by hand after a real saved page) gets
its pictures in 公众号文章_files/, and 公众号文章.mhtml is made from the same page the
way Chrome saves 「网页，单个文件」: a MIME archive whose pictures are named by their
web addresses.
"""

import base64
import copy
import io
import os
import quopri
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt, Inches
import datetime
from PIL import Image, ImageDraw

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "fixtures", "import")

TITLE = "绿水社区第一党支部“七一”主题党日活动情况报告"
DATE = "（2024年7月2日）"
INTRO = ("为庆祝中国共产党成立103周年，支部于7月1日组织全体党员开展",
         "“重温入党誓词 践行初心使命”", "主题党日活动。现将有关情况报告如下。")


def photo(w, h, seed, fmt="JPEG"):
    """A camera-like picture: sky, a red flag, people as blocks (no text)."""
    img = Image.new("RGB", (w, h), (120 + seed * 20, 170, 220))
    d = ImageDraw.Draw(img)
    d.rectangle([0, h * 2 // 3, w, h], fill=(90, 110, 80))
    d.rectangle([w // 8, h // 8, w // 8 + w // 3, h // 8 + w // 5], fill=(200, 20, 30))
    d.ellipse([w // 8 + 10, h // 8 + 10, w // 8 + 40, h // 8 + 40], fill=(250, 200, 0))
    for k in range(6):
        x = w // 10 + k * w // 7
        d.rectangle([x, h // 2, x + w // 16, h * 5 // 6], fill=(30 + k * 30, 40, 60))
    buf = io.BytesIO()
    img.save(buf, fmt, quality=60) if fmt == "JPEG" else img.save(buf, fmt)
    return buf.getvalue()


def logo():
    img = Image.new("RGB", (300, 200), (200, 20, 30))
    ImageDraw.Draw(img).ellipse([100, 50, 200, 150], fill=(250, 200, 0))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


# A minimal EMF: its header record says what it is.
EMF = (bytes([1, 0, 0, 0, 108, 0, 0, 0]) + bytes(32) + b" EMF" + bytes(64))

PHOTO1 = photo(1200, 900, 0)
PHOTO2 = photo(800, 600, 1)
LOGO = logo()


def set_descr(run, text):
    for docpr in run._r.iter(qn("wp:docPr")):
        docpr.set("descr", text)


def add_hyperlink(paragraph, url, text):
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = parse_xml(
        f'<w:hyperlink {nsdecls("w", "r")} r:id="{r_id}"><w:r><w:rPr><w:color w:val="0563C1"/>'
        f'<w:u w:val="single"/></w:rPr><w:t>{text}</w:t></w:r></w:hyperlink>')
    paragraph._p.append(link)


FOOTNOTES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes {nsdecls("w")}>'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
    '<w:r><w:t xml:space="preserve"> 数据截至2024年6月30日。</w:t></w:r></w:p></w:footnote></w:footnotes>')


def add_footnote(document, paragraph):
    part = Part(PackURI("/word/footnotes.xml"),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
                FOOTNOTES.encode(), document.part.package)
    document.part.relate_to(part, RT.FOOTNOTES)
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")}><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
        '<w:footnoteReference w:id="1"/></w:r>'))


def add_emf(document, paragraph):
    """An EMF picture: a PNG inline picture whose image part is swapped for EMF bytes."""
    run = paragraph.add_run()
    run.add_picture(io.BytesIO(LOGO), width=Inches(1))
    blip = next(run._r.iter(qn("a:blip")))
    r_id = blip.get(qn("r:embed"))
    part = Part(PackURI("/word/media/chart.emf"), "image/x-emf", EMF, document.part.package)
    blip.set(qn("r:embed"), document.part.relate_to(part, RT.IMAGE))
    del r_id


def add_text_box(paragraph):
    """A VML text box, as older Word and WPS write them."""
    paragraph._p.append(parse_xml(
        f'<w:r {nsdecls("w")} xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:200pt;height:40pt">'
        '<v:textbox><w:txbxContent><w:p><w:r><w:t>扫码关注“绿水先锋”公众号</w:t></w:r></w:p>'
        '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>'))


def merged_table(document):
    t = document.add_table(rows=3, cols=3)
    t.style = "Table Grid"
    head = t.cell(0, 0).merge(t.cell(0, 2))
    head.text = "2024年上半年活动统计"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "主题党日"
    t.cell(1, 1).text = "次数"
    t.cell(1, 2).text = "6"
    t.cell(2, 1).text = "参与人次"
    t.cell(2, 2).text = "186"


def table(document):
    t = document.add_table(rows=4, cols=3)
    t.style = "Table Grid"
    rows = [("类别", "应到", "实到"), ("正式党员", "28", "27"), ("预备党员", "3", "3"),
            ("入党积极分子", "5", "5")]
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            t.cell(r, c).text = text


def content(document, heading, para, title_para, date_para, bullet, number):
    """The report; `heading(level, text)`, `para(parts)` (a list of (text, style) with
    style "", "b" or "i") and the others write each piece their way."""
    title_para(TITLE)
    date_para(DATE)
    para([(INTRO[0], ""), (INTRO[1], "b"), (INTRO[2], "")])
    heading(1, "一、活动开展情况")
    heading(2, "（一）重温入党誓词")
    para([("上午9时，全体党员在党员活动室集合，", ""), ("面向党旗", "i"), ("重温入党誓词。", "")])
    pic = document.add_paragraph()
    pic.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pic.add_run().add_picture(io.BytesIO(PHOTO1), width=Inches(5))
    cap = document.add_paragraph("▲ 全体党员在党旗下重温入党誓词")
    cap.alignment = WD_ALIGN_PARAGRAPH.CENTER
    heading(2, "（二）开展志愿服务")
    heading(3, "1.清扫楼道")
    para([("党员分成4个小组，清扫楼道12处，清理小广告200余张。", "")])
    pic = document.add_paragraph()
    run = pic.add_run()
    run.add_picture(io.BytesIO(PHOTO2), width=Inches(4))
    set_descr(run, "党员志愿者清扫楼道")
    heading(3, "2.走访慰问")
    para([("活动中，党员志愿者：", "")])
    for item in ("走访独居老人 8 户", "发放宣传资料 300 份", "收集意见建议 15 条"):
        bullet(item)
    heading(1, "二、参与情况")
    para([("本次活动应到党员31名，实到30名，参与率96.8%。", "")])
    table(document)
    document.add_paragraph()
    merged_table(document)
    heading(1, "三、下一步打算")
    for item in ("坚持每月开展主题党日活动", "深化“五微一体”党建品牌建设"):
        number(item)
    p = para([("支部将继续组织党员登录", "")])
    add_hyperlink(p, "https://www.12371.cn/", "共产党员网")
    p.add_run("学习，把社会主意核心价值观融入日常工作")
    add_footnote(document, p)
    p.add_run("。联系人：王书记，13812345678。")
    p = document.add_paragraph()
    p.add_run().add_picture(io.BytesIO(LOGO), width=Inches(1))
    p = document.add_paragraph()
    add_emf(document, p)
    add_text_box(p)
    signature = document.add_paragraph("中共绿水社区第一支部委员会")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    d = document.add_paragraph("2024年7月2日")
    d.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def lists(document):
    """Bulleted and numbered items, by the list styles (both documents use them)."""
    return (lambda text: document.add_paragraph(text, style="List Bullet"),
            lambda text: document.add_paragraph(text, style="List Number"))


def styled():
    document = Document()
    document.core_properties.created = datetime.datetime(2024, 7, 2, 1, 0, 0)

    def heading(level, text):
        return document.add_heading(text, level)

    def para(parts):
        p = document.add_paragraph()
        for text, style in parts:
            run = p.add_run(text)
            run.bold = style == "b" or None
            run.italic = style == "i" or None
        return p

    def date_para(text):
        return document.add_paragraph(text)

    def title_para(text):
        return document.add_heading(text, 0)

    content(document, heading, para, title_para, date_para, *lists(document))
    return document


def fonts(run, east_asia, size=None, bold=None):
    rpr = run._r.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = parse_xml(f'<w:rFonts {nsdecls("w")}/>')
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:ascii"), east_asia)
    if size:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold


def plain():
    document = Document()
    document.core_properties.created = datetime.datetime(2024, 7, 2, 1, 0, 0)

    def para(parts):
        # 仿宋 三号 (16 pt), indented two full-width spaces, as typed in WPS.
        p = document.add_paragraph()
        for k, (text, style) in enumerate(parts):
            run = p.add_run(("\u3000\u3000" if k == 0 else "") + text)
            fonts(run, "仿宋_GB2312", 16, bold=True if style == "b" else None)
            run.italic = style == "i" or None
        return p

    def heading(level, text):
        p = document.add_paragraph()
        face = {1: "黑体", 2: "楷体_GB2312", 3: "仿宋_GB2312"}[level]
        fonts(p.add_run("\u3000\u3000" + text), face, 16, bold=True if level == 3 else None)
        return p

    def title_para(text):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fonts(p.add_run(text), "方正小标宋简体", 22, bold=True)
        document.add_paragraph()  # a blank line under the title
        return p

    def date_para(text):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fonts(p.add_run(text), "楷体_GB2312", 16)
        return p

    content(document, heading, para, title_para, date_para, *lists(document))
    return document


def wps_style_ids(path):
    """Renames every style id to a number, as WPS writes them."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    styles = parts["word/styles.xml"].decode()
    ids = re.findall(r'w:styleId="([^"]+)"', styles)
    mapping = {old: str(k + 1) for k, old in enumerate(ids)}
    def rename(text):
        return re.sub(r'(<w:(?:pStyle|rStyle|tblStyle|basedOn|next|link)\s+w:val=")([^"]+)(")',
                      lambda m: m.group(1) + mapping.get(m.group(2), m.group(2)) + m.group(3), text)
    styles = re.sub(r'w:styleId="([^"]+)"', lambda m: f'w:styleId="{mapping[m.group(1)]}"', styles)
    parts["word/styles.xml"] = rename(styles).encode()
    for name in ("word/document.xml", "word/numbering.xml"):
        if name in parts:
            parts[name] = rename(parts[name].decode()).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


def soffice(args, cwd):
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        sys.exit("LibreOffice (soffice) is needed")
    subprocess.run([exe, "--headless", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    os.makedirs(OUT, exist_ok=True)
    styled().save(os.path.join(OUT, "styled.docx"))
    plain_path = os.path.join(OUT, "plain.docx")
    plain().save(plain_path)
    wps_style_ids(plain_path)

    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(os.path.join(OUT, "styled.docx"), os.path.join(tmp, "report.docx"))
        soffice(["--convert-to", "odt", "report.docx"], tmp)
        os.remove(os.path.join(tmp, "report.docx"))
        soffice(["--convert-to", "docx:MS Word 2007 XML", "report.odt"], tmp)
        shutil.copy(os.path.join(tmp, "report.docx"), os.path.join(OUT, "libreoffice.docx"))

        old = Document()
        old.add_paragraph("支部工作总结（旧版 Word 文档）")
        old.save(os.path.join(tmp, "old.docx"))
        soffice(["--convert-to", "doc:MS Word 97", "old.docx"], tmp)
        shutil.copy(os.path.join(tmp, "old.doc"), os.path.join(OUT, "old.doc"))
        shutil.copy(os.path.join(tmp, "old.doc"), os.path.join(OUT, "renamed.docx"))

    import msoffcrypto.format.ooxml
    small = Document()
    small.add_paragraph("保密材料")
    buf = io.BytesIO()
    small.save(buf)
    buf.seek(0)
    with open(os.path.join(OUT, "encrypted.docx"), "wb") as f:
        msoffcrypto.format.ooxml.OOXMLFile(buf).encrypt("1234", f)

    Document().save(os.path.join(OUT, "empty.docx"))

    wechat()


def wechat():
    """The saved article's pictures, and the same page as one .mhtml file."""
    files = os.path.join(OUT, "公众号文章_files")
    os.makedirs(files, exist_ok=True)
    pictures = {
        "640.jpeg": photo(1080, 720, 2),
        "640(1).jpeg": photo(1080, 810, 3),
        "640(2).gif": gif(),
    }
    for name, data in pictures.items():
        with open(os.path.join(files, name), "wb") as f:
            f.write(data)
    with open(os.path.join(OUT, "公众号文章.html"), encoding="utf-8") as f:
        html = f.read()
    # In the single file, every picture is named by its address on the web.
    remote = {}
    def to_remote(m):
        name = m.group(2)
        url = f"https://mmbiz.qpic.cn/mmbiz_jpg/lvshui{len(remote)}/640?wx_fmt=jpeg"
        remote[url] = pictures[name]
        return f'{m.group(1)}{url}"'
    mhtml_page = re.sub(r'(data-src=")\./公众号文章_files/([^"]+)"', to_remote, html)
    mhtml_page = re.sub(r' src="\./公众号文章_files/[^"]+"', "", mhtml_page)
    boundary = "----MultipartBoundary--lvshui0123456789----"
    out = [
        "From: <Saved by Blink>",
        "Snapshot-Content-Location: https://mp.weixin.qq.com/s/lvshui-qiyi",
        "Subject: =?utf-8?Q?=E4=B8=83=E4=B8=80?=",
        "Date: Tue, 2 Jul 2024 10:00:00 +0800",
        "MIME-Version: 1.0",
        "Content-Type: multipart/related;",
        '\ttype="text/html";',
        f'\tboundary="{boundary}"',
        "",
        "",
        f"--{boundary}",
        "Content-Type: text/html",
        "Content-ID: <frame-0@mhtml.blink>",
        "Content-Transfer-Encoding: quoted-printable",
        "Content-Location: https://mp.weixin.qq.com/s/lvshui-qiyi",
        "",
        quopri.encodestring(mhtml_page.encode("utf-8")).decode("ascii").replace("\n", "\r\n"),
    ]
    for url, data in remote.items():
        out += [
            f"--{boundary}",
            "Content-Type: image/jpeg" if data[:3] == b"\xff\xd8\xff" else "Content-Type: image/gif",
            "Content-Transfer-Encoding: base64",
            f"Content-Location: {url}",
            "",
        ]
        b64 = base64.b64encode(data).decode()
        out += [b64[i:i + 76] for i in range(0, len(b64), 76)]
    out.append(f"--{boundary}--")
    with open(os.path.join(OUT, "公众号文章.mhtml"), "w", encoding="ascii", newline="") as f:
        f.write("\r\n".join(out) + "\r\n")


def gif():
    img = Image.new("P", (240, 80), 0)
    img.putpalette([200, 20, 30, 255, 255, 255] + [0] * 762)
    ImageDraw.Draw(img).rectangle([20, 20, 220, 60], fill=1)
    buf = io.BytesIO()
    img.save(buf, "GIF")
    return buf.getvalue()


if __name__ == "__main__":
    main()
