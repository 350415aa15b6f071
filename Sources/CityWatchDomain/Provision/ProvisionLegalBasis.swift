/// The ground on which footage may go to a third party such as the police: the cases of
/// 개인정보 보호법 제18조 제2항 that a control centre meets, and `other` for a ground that must
/// be written out in full.
public enum ProvisionLegalBasis: String, Codable, Sendable, CaseIterable {
    /// 제18조②1: the data subject consented separately.
    case consent
    /// 제18조②2: another law specifically provides for it.
    case specialLaw
    /// 제18조②3: urgently needed for someone's life, body or property.
    case urgentSafety
    /// 제18조②7: needed to investigate a crime or to bring and keep up a prosecution.
    case criminalInvestigation
    /// 제18조②8: needed by a court for a trial.
    case courtProceedings
    /// 제18조②9: needed to carry out a sentence, custody or protective measure.
    case sentenceExecution
    /// Any other ground: the request's detail must name the law and article.
    case other

    /// The ground as the ledger writes it.
    public var koreanName: String {
        switch self {
        case .consent: "정보주체의 별도 동의 (제18조②1)"
        case .specialLaw: "다른 법률의 특별한 규정 (제18조②2)"
        case .urgentSafety: "급박한 생명·신체·재산의 이익 (제18조②3)"
        case .criminalInvestigation: "범죄의 수사와 공소의 제기 및 유지 (제18조②7)"
        case .courtProceedings: "법원의 재판업무 수행 (제18조②8)"
        case .sentenceExecution: "형 및 감호, 보호처분의 집행 (제18조②9)"
        case .other: "기타"
        }
    }
}
