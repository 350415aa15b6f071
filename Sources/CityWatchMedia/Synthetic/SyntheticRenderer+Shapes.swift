import CityWatchDomain

/// The silhouettes of the object classes. Each fills most of its box and touches all four of its
/// edges, so the object's box is the tight box of its pixels — what a good detector would report.
extension SyntheticRenderer {
    /// Skin tone of a person's head.
    static let skin = SceneColor(red: 224, green: 184, blue: 152)
    /// Tyres.
    static let tyre = SceneColor(red: 28, green: 28, blue: 28)

    /// Draws an object of `objectClass` filling `box`.
    static func draw(_ objectClass: SceneObjectClass, in box: PixelBox, color: SceneColor, on canvas: SyntheticCanvas) {
        switch objectClass {
        case .person: drawPerson(in: box, color: color, on: canvas)
        case .car, .bus, .truck: drawVehicle(in: box, color: color, longWindows: objectClass != .car, on: canvas)
        case .bicycle, .motorcycle: drawTwoWheeler(in: box, color: color, on: canvas)
        case .bag: drawBag(in: box, color: color, on: canvas)
        }
    }

    /// Standing (box taller than wide): a head on top of a rounded body. Lying (wider than tall):
    /// the same turned on its side, head to the left.
    static func drawPerson(in box: PixelBox, color: SceneColor, on canvas: SyntheticCanvas) {
        if box.height >= box.width {
            let head = max(2, min(box.width * 3 / 5, box.height / 5))
            canvas.fillEllipse(PixelBox(x: box.x + (box.width - head) / 2, y: box.y, width: head, height: head), skin)
            let top = box.y + head * 4 / 5
            canvas.fillRoundedRect(PixelBox(x: box.x, y: top, width: box.width, height: box.maxY - top), radius: box.width / 3, color)
        } else {
            let head = max(2, min(box.height, box.width / 5))
            canvas.fillEllipse(PixelBox(x: box.x, y: box.y + (box.height - head) / 2, width: head, height: head), skin)
            let left = box.x + head * 4 / 5
            canvas.fillRoundedRect(PixelBox(x: left, y: box.y, width: box.maxX - left, height: box.height), radius: box.height / 3, color)
        }
    }

    /// A rounded body, dark windows (a band for buses and trucks) and two wheels at the bottom.
    static func drawVehicle(in box: PixelBox, color: SceneColor, longWindows: Bool, on canvas: SyntheticCanvas) {
        canvas.fillRoundedRect(box, radius: box.height / 5, color)
        let glass = color.scaled(by: 0.4)
        let inset = longWindows ? box.width / 12 : box.width / 5
        canvas.fillRect(PixelBox(x: box.x + inset, y: box.y + box.height / 8, width: box.width - 2 * inset, height: box.height / 3), glass)
        let wheel = max(2, box.height * 2 / 5)
        canvas.fillEllipse(PixelBox(x: box.x + box.width / 8, y: box.maxY - wheel, width: wheel, height: wheel), tyre)
        canvas.fillEllipse(PixelBox(x: box.maxX - box.width / 8 - wheel, y: box.maxY - wheel, width: wheel, height: wheel), tyre)
    }

    /// Two wheels at the bottom corners and a frame between them up to the handlebars.
    static func drawTwoWheeler(in box: PixelBox, color: SceneColor, on canvas: SyntheticCanvas) {
        let wheel = max(2, min(box.height * 3 / 5, box.width * 2 / 5))
        canvas.fillRect(PixelBox(x: box.x + wheel / 2, y: box.y, width: box.width - wheel, height: box.height - wheel / 2), color)
        canvas.fillEllipse(PixelBox(x: box.x, y: box.maxY - wheel, width: wheel, height: wheel), tyre)
        canvas.fillEllipse(PixelBox(x: box.maxX - wheel, y: box.maxY - wheel, width: wheel, height: wheel), tyre)
    }

    /// A filled block with a darker handle strip along the top.
    static func drawBag(in box: PixelBox, color: SceneColor, on canvas: SyntheticCanvas) {
        canvas.fillRect(box, color)
        canvas.fillRect(PixelBox(x: box.x + box.width / 4, y: box.y, width: max(1, box.width / 2), height: max(1, box.height / 5)),
                        color.scaled(by: 0.5))
    }
}
