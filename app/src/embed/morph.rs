//! Bring a region's DOM in line with new HTML while keeping the nodes that
//! stay the same kind: the widget's buttons, rows and totals keep their
//! identity (focus, hover, a screen reader's place, a test's reference)
//! while their text and attributes change. Children are matched by
//! position; a node whose kind differs is replaced.

use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

/// Make `target`'s children equal to the parse of `html`.
pub fn morph(target: &Element, html: &str) {
    let Some(document) = target.owner_document() else {
        target.set_inner_html(html);
        return;
    };
    let Ok(scratch) = document.create_element("div") else {
        target.set_inner_html(html);
        return;
    };
    scratch.set_inner_html(html);
    morph_children(target, &scratch);
}

fn morph_children(old_parent: &Node, new_parent: &Node) {
    let mut index = 0;
    loop {
        let old = old_parent.child_nodes().item(index);
        let Some(new) = new_parent.child_nodes().item(index) else {
            while let Some(extra) = old_parent.child_nodes().item(index) {
                let _ = old_parent.remove_child(&extra);
            }
            return;
        };
        match old {
            None => {
                if let Ok(copy) = new.clone_node_with_deep(true) {
                    let _ = old_parent.append_child(&copy);
                }
            }
            Some(old)
                if old.node_type() == new.node_type() && old.node_name() == new.node_name() =>
            {
                morph_node(&old, &new);
            }
            Some(old) => {
                if let Ok(copy) = new.clone_node_with_deep(true) {
                    let _ = old_parent.replace_child(&copy, &old);
                }
            }
        }
        index += 1;
    }
}

/// `old` and `new` are the same kind of node: copy text or attributes,
/// then the children.
fn morph_node(old: &Node, new: &Node) {
    if old.node_type() != Node::ELEMENT_NODE {
        if old.node_value() != new.node_value() {
            old.set_node_value(new.node_value().as_deref());
        }
        return;
    }
    let (Some(old_element), Some(new_element)) =
        (old.dyn_ref::<Element>(), new.dyn_ref::<Element>())
    else {
        return;
    };
    for name in old_element.get_attribute_names().iter() {
        if let Some(name) = name.as_string() {
            if !new_element.has_attribute(&name) {
                let _ = old_element.remove_attribute(&name);
            }
        }
    }
    for name in new_element.get_attribute_names().iter() {
        if let Some(name) = name.as_string() {
            let value = new_element.get_attribute(&name);
            if old_element.get_attribute(&name) != value {
                let _ = old_element.set_attribute(&name, value.as_deref().unwrap_or_default());
            }
        }
    }
    morph_children(old, new);
}
