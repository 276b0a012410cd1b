import { registry } from "@web/core/registry";

/** A 2x2 red PNG, as the phone's camera would hand it to the file input. */
function photoFile() {
    const b64 = "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==";
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return new File([bytes], "shelf.png", { type: "image/png" });
}

registry.category("web_tour.tours").add("clever_product_photo_tour", {
    steps: () => [
        {
            content: "Type (or scan) the barcode",
            trigger: ".o_clever_photo_search",
            run: "edit 4870204390018",
        },
        {
            trigger: ".o_clever_photo_search",
            run: "press Enter",
        },
        {
            content: "The product is found",
            trigger: ".o_clever_photo_product .o_clever_photo_name:contains('Вода Tassay 1 л')",
        },
        {
            content: "Take the photo",
            trigger: "label:has(.o_clever_photo_input)",
            run() {
                const input = document.querySelector(".o_clever_photo_input");
                const transfer = new DataTransfer();
                transfer.items.add(photoFile());
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The preview shows",
            trigger: ".o_clever_photo_preview",
        },
        {
            content: "Save it with one thumb",
            trigger: ".o_clever_photo_save:enabled",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_clever_photo_saved",
        },
        {
            content: "The product shows its new image",
            trigger: ".o_clever_photo_current",
        },
    ],
});
