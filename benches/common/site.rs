//! A synthetic site of Chinese pages for the benches.

use std::fmt::Write as _;
use std::path::Path;

const SENTENCES: &[&str] = &[
    "为深入学习贯彻党的二十大精神，支部组织全体党员开展集中学习研讨。",
    "活动中，党员同志们重温入党誓词，进一步坚定了理想信念。",
    "党员志愿者走进社区，为居民提供政策宣讲、健康义诊和便民维修等服务。",
    "支部坚持“三会一课”制度，不断提升组织生活的规范化、制度化水平。",
    "通过“党建+业务”深度融合，支部将党建优势转化为发展优势。",
];
const TAGS: &[&str] = &[
    "微党课",
    "微活动",
    "微服务",
    "主题党日",
    "志愿服务",
    "理论学习",
];

pub fn write_site(dir: &Path, pages: usize) {
    std::fs::create_dir_all(dir.join("content/news")).unwrap();
    std::fs::write(
        dir.join("site.yaml"),
        "title: 基准测试支部\nbase_url: http://127.0.0.1/\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("content/news/_index.md"),
        "---\ntitle: 支部动态\npaginate_by: 20\n---\n",
    )
    .unwrap();
    for i in 0..pages {
        let mut body = String::new();
        for h in 0..4 {
            let _ = writeln!(body, "## 第{h}部分\n");
            for k in 0..6 {
                body.push_str(SENTENCES[(i + h + k) % SENTENCES.len()]);
            }
            body.push_str("\n\n- 重温入党誓词\n- 集中学习研讨\n\n");
        }
        let _ = writeln!(body, "相关阅读：[上一篇](p{:05}.md)", (i + 1) % pages);
        let text = format!(
            "---\ntitle: 第{i}期主题党日活动\ndate: 2024-{:02}-{:02}\ntags: [{}, {}]\n---\n\n{body}",
            i % 12 + 1,
            i % 28 + 1,
            TAGS[i % 3],
            TAGS[3 + i % 3]
        );
        std::fs::write(dir.join(format!("content/news/p{i:05}.md")), text).unwrap();
    }
}
